// The machine-readable reports of `grade` and `check` (--json FILE, --junit FILE), for an
// instructor's scripts and for CI. The JSON format, version 1:
//
//   {
//     "format": "udp-workbook-grade/1",
//     "generatedAt": "2026-12-02T07:00:00.000Z",     // when the grade ended (UTC)
//     "workbook": { "name": "udp-workbook", "version": "0.1.0" },
//     "node": "v20.20.2",                              // the Node.js that ran the checks
//     "target": "/home/me/their-clone/labs",           // the folder graded (absolute)
//     "server": "python3 server.py",                   // only with --server
//     "passed": 9, "total": 10,                        // labs that passed, labs in the course
//     "labs": [
//       {
//         "lesson": "02-basic-server", "title": "A basic UDP server",
//         "status": "passed",                          // "passed" | "failed" | "missing"
//         "passed": 9, "failed": 0, "skipped": 0,      // checks
//         "durationMs": 1042,                          // whole milliseconds
//         "checks": [
//           { "name": "replies \"Echo: hello\" to \"hello\"", "state": "failed", "durationMs": 1003,
//             "failure": { "summary": "No reply came back.", "sent": "…", "expected": "…",
//                          "got": "…", "log": ["…"], "hint": "…" } },
//           { "name": "…", "state": "skipped", "durationMs": 0, "note": "why" }
//         ],
//         "errors": []                                 // problems of the checker file itself
//       }
//     ]
//   }
//
// A missing lab has "status": "missing", no checks and one error saying so. A failure's fields
// are those of a CheckFailure; an unexpected error (a bug in a check) has "unexpected": true and
// a "stack". The JUnit XML has one <testsuite> per lab and one <testcase> per check.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { verdictOf } from './report.ts';
import type { CheckResult, Failure, FileResult } from './results.ts';
import { failureText } from './results.ts';

export interface LabGrade {
  lesson: string;
  title: string;
  status: 'passed' | 'failed' | 'missing';
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  checks: CheckResult[];
  errors: Failure[];
}

export interface GradeReport {
  format: 'udp-workbook-grade/1';
  generatedAt: string;
  workbook: { name: string; version: string };
  node: string;
  target: string;
  server?: string;
  passed: number;
  total: number;
  labs: LabGrade[];
}

export function labGrade(lesson: Lesson, result: FileResult | undefined, durationMs: number): LabGrade {
  const base = { lesson: lesson.slug, title: lesson.title, durationMs: Math.round(durationMs) };
  if (!result) {
    return { ...base, status: 'missing', passed: 0, failed: 0, skipped: 0, checks: [], errors: [{ summary: `There is no ${lesson.slug}/ folder in the graded folder.` }] };
  }
  const v = verdictOf(result);
  return {
    ...base,
    status: v.ok ? 'passed' : 'failed',
    passed: v.passed,
    failed: result.checks.filter((c) => c.state === 'failed').length,
    skipped: result.checks.filter((c) => c.state === 'skipped').length,
    checks: result.checks.map((c) => ({ ...c, durationMs: Math.round(c.durationMs) })),
    errors: result.errors,
  };
}

export function gradeReport(labs: LabGrade[], about: { target: string; server?: string; version: string; generatedAt?: Date }): GradeReport {
  return {
    format: 'udp-workbook-grade/1',
    generatedAt: (about.generatedAt ?? new Date()).toISOString(),
    workbook: { name: 'udp-workbook', version: about.version },
    node: process.version,
    target: about.target,
    ...(about.server ? { server: about.server } : {}),
    passed: labs.filter((l) => l.status === 'passed').length,
    total: labs.length,
    labs,
  };
}

const escapeXml = (s: string) =>
  // Characters XML 1.0 cannot hold at all are dropped; the rest are escaped.
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The report as JUnit XML, which every CI shows natively. */
export function junitXml(report: GradeReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (f: (l: LabGrade) => number) => report.labs.reduce((n, l) => n + f(l), 0);
  const casesOf = (l: LabGrade) => l.checks.length + (l.status === 'missing' ? 1 : l.errors.length);
  const tests = count(casesOf);
  const failures = count((l) => l.failed + (l.status === 'missing' ? 1 : 0));
  const errors = count((l) => (l.status === 'missing' ? 0 : l.errors.length));
  const time = count((l) => l.durationMs);
  lines.push(`<testsuites name="udp-workbook" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${count((l) => l.skipped)}" time="${seconds(time)}" timestamp="${report.generatedAt}">`);
  for (const lab of report.labs) {
    const suiteErrors = lab.status === 'missing' ? 0 : lab.errors.length;
    lines.push(`  <testsuite name="${escapeXml(`${lab.lesson} · ${lab.title}`)}" tests="${casesOf(lab)}" failures="${lab.failed + (lab.status === 'missing' ? 1 : 0)}" errors="${suiteErrors}" skipped="${lab.skipped}" time="${seconds(lab.durationMs)}">`);
    if (lab.status === 'missing') {
      lines.push(`    <testcase classname="${lab.lesson}" name="the lab is there" time="0">`);
      lines.push(`      <failure message="missing">${escapeXml(lab.errors[0]?.summary ?? 'missing')}</failure>`);
      lines.push('    </testcase>');
    }
    for (const check of lab.checks) {
      const open = `    <testcase classname="${lab.lesson}" name="${escapeXml(check.name)}" time="${seconds(check.durationMs)}"`;
      if (check.state === 'passed') lines.push(`${open}/>`);
      else if (check.state === 'skipped') lines.push(`${open}>`, `      <skipped message="${escapeXml(check.note ?? 'skipped')}"/>`, '    </testcase>');
      else {
        const f = check.failure ?? { summary: 'failed' };
        lines.push(`${open}>`, `      <failure message="${escapeXml(f.summary)}">${escapeXml(failureText(f))}</failure>`, '    </testcase>');
      }
    }
    for (const error of lab.status === 'missing' ? [] : lab.errors) {
      lines.push(`    <testcase classname="${lab.lesson}" name="the checker runs" time="0">`, `      <error message="${escapeXml(error.summary)}">${escapeXml(failureText(error))}</error>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** The workbook's version, from its package.json. */
export function workbookVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
