// `npm test`: proves the whole course is sound, in order —
//   1. the type-check (everything but labs/),
//   2. the tool tests (test/tools), with vitest (its files share processes, --no-isolate: they
//      pass either way, and a process per file costs a sixth of the suite's time),
//   3. every checker against solutions/: every check must pass,
//   4. every checker against the shipped starters/: each must fail at least one check, and only
//      with learner advice (a checker that passes a starter is vacuous; one that crashes is broken),
//   5. the content checks (test/content): course completeness, includes, demos, with vitest,
//   6. every checker against the known bugs in test/variants/ (each must be caught) and the other
//      correct answers there (each must pass): see variants.ts.
// `npm test -- 02` does 3–6 for lesson 02 only; `--variant NAME` runs one known answer.
// Everything starts at once (checker runs share a few long-lived processes, CheckPool); results
// print in the order above. The last line is "N passed, N failed". labs/ is never graded here.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../course/paths.ts';
import type { Lesson } from '../course/lessons.ts';
import type { Style } from '../term/style.ts';
import { pruneCopies } from '../proc/mirror.ts';
import { CheckPool } from './pool.ts';
import { failureText, type FileResult } from './results.ts';
import { buildVariantTree, describeVariant, judgeVariant, loadVariants, variantChecks, type Variant } from './variants.ts';
import { runVitestCli, type VitestCliResult } from './vitest-cli.ts';

export interface Tally {
  passed: number;
  failed: number;
  /** Each failure as printed (its line and the first lines of its detail), to repeat at the end:
   * a long run's log is often seen only by its tail. */
  failures: string[];
}

/** The lines of a failure's detail kept in its summary at the end. */
const SUMMARY_LINES = 40;

export interface SelftestPlan {
  /** The lessons to prove (all of them, or those asked for). */
  lessons: readonly Lesson[];
  /** Everything (the type-check and the tool tests too), or only what concerns these lessons. */
  whole: boolean;
  /** Only this known answer. */
  variant?: string;
  color: boolean;
}

type Print = (line?: string) => void;

/** Checker runs at once: most of their time is spent waiting for sockets, timers and processes (a
 * starter waits out a timeout in almost every check), so the pool is larger than the machine. */
const WORKERS = availableParallelism() + 6;

export async function selftest(print: Print, st: Style, plan: SelftestPlan): Promise<Tally> {
  const tally: Tally = { passed: 0, failed: 0, failures: [] };
  const remember = (heading: string, detail?: string) => {
    const lines = detail ? detail.trimEnd().split('\n') : [];
    const kept = lines.slice(0, SUMMARY_LINES).map((l) => `    ${l}`);
    if (lines.length > SUMMARY_LINES) kept.push(`    … (${lines.length - SUMMARY_LINES} more lines above)`);
    tally.failures.push([heading, ...kept].join('\n'));
  };
  const pass = (what: string) => {
    tally.passed++;
    print(`  ${st.ok('✔')} ${what}`);
  };
  const fail = (what: string, detail?: string) => {
    tally.failed++;
    print(`  ${st.fail('✘')} ${what}`);
    if (detail) print(detail.replace(/^/gm, '      '));
    remember(`${st.fail('✘')} ${what}`, detail);
  };
  /** vitest's counts; what failed, as vitest reports it. */
  const reportVitest = (r: VitestCliResult) => {
    if (r.problem || r.failed > 0) {
      tally.failed += Math.max(1, r.failed);
      print(`  ${st.fail('✘')} ${r.problem ?? `${r.failed} failed`} (vitest's report follows)`);
      print(failedPart(r.output).replace(/^/gm, '    '));
      remember(`${st.fail('✘')} ${r.problem ?? `${r.failed} failed`} (vitest)`, failedPart(r.output));
    }
    tally.passed += r.passed;
    print(`  ${st.ok('✔')} ${r.passed} passed in ${r.files} file${r.files === 1 ? '' : 's'}${r.skipped ? ` (${r.skipped} skipped)` : ''}`);
  };
  /** Every check in the result passes. */
  const reportChecks = (lesson: Lesson, result: FileResult) => {
    for (const error of result.errors) fail(`${lesson.slug}: the checker could not run`, failureText(error));
    for (const check of result.checks) if (check.state === 'failed') fail(`${lesson.slug} › ${check.name}`, check.failure && failureText(check.failure));
    const passed = result.checks.filter((c) => c.state === 'passed').length;
    tally.passed += passed;
    if (result.errors.length === 0 && passed === 0) fail(`${lesson.slug}: no check passed`);
    else print(`  ${st.ok('✔')} ${lesson.slug}: ${passed} checks pass${fallbackNote(result)}`);
  };

  const scratch = mkdtempSync(path.join(tmpdir(), 'workbook-variants-'));
  // The variant trees live outside the workbook, where no package.json says "type": "module".
  writeFileSync(path.join(scratch, 'package.json'), '{ "type": "module" }\n');
  const pool = new CheckPool(WORKERS);
  const slugs = plan.lessons.map((l) => l.slug);
  try {
    const variants = (await loadVariants(plan.lessons, ROOT)).filter((v) => plan.variant === undefined || v.spec.name === plan.variant);
    const only = plan.variant !== undefined;
    const typecheck = plan.whole ? runTypecheck() : undefined;
    const tools = plan.whole ? runVitestCli(['test/tools/'], { color: plan.color, isolate: false }) : undefined;
    const content = only
      ? undefined
      : runVitestCli(['test/content/'], { color: plan.color, isolate: false, ...(plan.whole ? {} : { namePattern: slugs.map(escapeRegExp).join('|') }) });
    // The checkers once those are done: on two cores, each part alone keeps the machine busy, and
    // running them side by side only makes every wait of every check longer, not the whole
    // shorter; the checks that measure time (a rate, a lifetime, a retransmission) need the
    // machine least loaded. Queued in the order their results are printed.
    const firstPart = Promise.allSettled([typecheck, tools, content]);
    const checkers = <T>(run: () => Promise<T>) => firstPart.then(run);
    const solutions = only ? [] : plan.lessons.map((lesson) => checkers(() => pool.run(lesson, { context: { target: 'solutions' } })));
    const starters = only ? [] : plan.lessons.map((lesson) => checkers(() => pool.run(lesson, { context: { target: 'starters' } })));
    const judged = variants.map((variant, i) => ({ variant, outcome: checkers(() => runVariant(pool, variant, path.join(scratch, String(i)))) }));

    if (typecheck) {
      print(st.bold('1. Type-check (tsc --noEmit -p tsconfig.course.json)'));
      const result = await typecheck;
      if (result.code === 0) pass('no type errors');
      else fail('type errors', result.text.trim());
    }
    if (tools) {
      print(st.bold('2. Tool tests (test/tools)'));
      reportVitest(await tools);
    }
    if (!only) {
      print(st.bold('3. Every checker against solutions/: all checks pass'));
      for (const [i, lesson] of plan.lessons.entries()) reportChecks(lesson, await solutions[i]!);

      print(st.bold('4. Every checker against the shipped starters/: each fails, with advice'));
      for (const [i, lesson] of plan.lessons.entries()) {
        const result = await starters[i]!;
        const failed = result.checks.filter((c) => c.state === 'failed');
        const crashed = failed.filter((c) => c.failure?.unexpected);
        if (result.errors.length > 0) fail(`${lesson.slug}: the checker did not run`, result.errors.map(failureText).join('\n'));
        else if (failed.length === 0) fail(`${lesson.slug}: the starter passes every check — the checker is vacuous`);
        else if (crashed.length > 0) fail(`${lesson.slug}: a check crashed on the starter instead of explaining`, crashed.map((c) => `${c.name}\n${failureText(c.failure!)}`).join('\n'));
        else pass(`${lesson.slug}: the starter fails ${failed.length} of ${result.checks.length} checks`);
      }
    }
    if (content) {
      print(st.bold(`5. Content checks (test/content)${plan.whole ? '' : ` for ${slugs.join(', ')}`}`));
      reportVitest(await content);
    }
    print(st.bold('6. Every checker against known bugs (each caught) and other correct answers (each passes)'));
    if (only && judged.length === 0) fail(`no known answer is named "${plan.variant}"${plan.whole ? '' : ` in ${slugs.join(', ')}`}`);
    for (const { variant, outcome } of judged) {
      const result = await outcome;
      const problem = typeof result === 'string' ? result : judgeVariant(variant.spec, result, variant.smoke);
      const name = `${variant.lesson.slug} · ${variant.spec.name}`;
      if (problem) fail(`${name} (${describeVariant(variant)})`, problem);
      else pass(`${name}: ${'fails' in variant.spec ? 'caught' : 'passes'}${typeof result === 'string' ? '' : fallbackNote(result)}`);
    }
  } finally {
    pool.close();
    rmSync(scratch, { recursive: true, force: true });
    pruneCopies();
  }
  return tally;
}

/** Builds the variant's tree and runs the checker on it; a string says why it could not. */
async function runVariant(pool: CheckPool, variant: Variant, into: string): Promise<FileResult | string> {
  let target: string;
  try {
    target = buildVariantTree(variant, path.join(ROOT, 'solutions'), into);
  } catch (err) {
    return (err as Error).message;
  }
  return pool.run(variant.lesson, { context: { target }, only: variantChecks(variant) });
}

/** A checker that needed vitest is slow for learners: say so, so that its author knows. */
function fallbackNote(result: FileResult): string {
  return result.fallback ? ` (run by vitest: it uses ${result.fallback}, outside the fast runner's subset)` : '';
}

/** vitest's report from its "Failed Tests" section on (the diffs and code frames), or all of it. */
function failedPart(output: string): string {
  const lines = output.trimEnd().split('\n').filter((l) => !/JSON report written to/.test(l));
  // eslint-disable-next-line no-control-regex
  const start = lines.findIndex((l) => /Failed Tests \d+|Failed Suites \d+|Unhandled Errors/.test(l.replace(/\x1b\[[0-9;]*m/g, '')));
  return lines.slice(Math.max(0, start)).join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function runTypecheck(): Promise<{ code: number | null; text: string }> {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', path.join(ROOT, 'tsconfig.course.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('close', (code) => resolve({ code, text }));
  });
}
