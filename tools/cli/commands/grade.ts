// For instructors and CI (e.g. GitHub Classroom): checks every lab, prints one line per lab, can
// write a machine-readable report (JSON, JUnit XML: tools/check/grade-report.ts), and exits 1
// unless every lab passes. It records no progress.

import { writeFileSync } from 'node:fs';
import { discoverLessons } from '../../course/lessons.ts';
import { makeStyle } from '../../term/style.ts';
import { writeLine } from '../../term/io.ts';
import { defineCommand } from '../command.ts';
import { outputPath } from '../outputs.ts';
import { isServerLab } from '../server-flag.ts';

export const gradeCommand = defineCommand({
  name: 'grade',
  summary: 'check every lab (for instructors and CI)',
  flags: {
    target: { value: 'DIR', help: 'grade the labs in DIR (default: WORKBOOK_TARGET, or labs/)' },
    server: { value: 'CMD', help: 'start CMD instead of each server lab\'s server.ts (any language)' },
    json: { value: 'FILE', help: 'also write the report to FILE, as JSON (format in the README)' },
    junit: { value: 'FILE', help: 'also write the report to FILE, as JUnit XML' },
  },
  about: ['Example: `npm run grade -- --target ../their-clone/labs --json grade.json`.'],
  async run({ values }, io) {
    const st = makeStyle(io.color);
    const cwd = io.cwd ?? io.root;
    const json = outputPath('json', values.json, cwd);
    const junit = outputPath('junit', values.junit, cwd);
    const lessons = discoverLessons(io.root);
    const { prepareTarget } = await import('../../workbook/target.ts');
    const given = values.target ?? io.env.WORKBOOK_TARGET ?? 'labs';
    const graded = prepareTarget(given, lessons, values.target ? cwd : io.root);
    const { runLessonChecker } = await import('../../check/check-lesson.ts');
    const { gradeReport, junitXml, labGrade, workbookVersion } = await import('../../check/grade-report.ts');
    try {
      const labs = [];
      for (const lesson of lessons) {
        const missing = graded.missing.includes(lesson);
        const started = performance.now();
        // A server in another language stands in for the server labs' server.ts; the other labs
        // are checked as they are.
        const server = values.server && isServerLab(lesson, io.root) ? values.server : undefined;
        const result = missing ? undefined : await runLessonChecker(lesson, { context: { target: graded.target, server } });
        const lab = labGrade(lesson, result, performance.now() - started);
        labs.push(lab);
        const mark = lab.status === 'passed' ? st.ok('✔') : st.fail('✘');
        const what = lab.status === 'missing' ? st.fail('missing') : `${lab.passed}/${lab.checks.length} checks${lab.skipped ? ` (${lab.skipped} skipped)` : ''}`;
        writeLine(io.stdout, `${mark} ${lesson.slug.padEnd(24)} ${what}`);
      }
      const version = workbookVersion(io.root);
      const report = gradeReport(labs, { target: graded.shown, server: values.server, version });
      writeLine(io.stdout, `${report.passed} of ${report.total} labs pass${graded.missing.length ? `; ${graded.missing.length} missing` : ''}.`);
      if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
      if (junit) writeFileSync(junit, junitXml(report));
      return report.passed === report.total ? 0 : 1;
    } finally {
      graded.dispose();
    }
  },
});
