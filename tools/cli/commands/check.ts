// `npm start -- check <NN>`: checks the learner's lab (and records the attempt), or, with
// --target, grades another copy's lab without touching anyone's progress. With --server, a
// command in any language stands in for the lab's server.ts.

import { writeFileSync } from 'node:fs';
import { readingWidth } from '../../runner/context.ts';
import { UsageError } from '../../term/usage-error.ts';
import { lessonCommand } from '../lesson-command.ts';
import { outputPath } from '../outputs.ts';
import { writeLine } from '../../term/io.ts';
import { serverFlag } from '../server-flag.ts';

export const checkCommand = lessonCommand({
  name: 'check',
  summary: 'check your lab and explain what is wrong',
  flags: {
    server: { value: 'CMD', help: 'start CMD (any language) instead of the lab\'s server.ts' },
    target: { value: 'DIR', help: 'grade the lab in DIR (NN-slug/ folders); records no progress' },
    json: { value: 'FILE', help: 'also write the verdict and every check to FILE, as JSON' },
    junit: { value: 'FILE', help: 'also write them to FILE as JUnit XML' },
  },
  async run(ctx, lesson, values) {
    const { io } = ctx.wb;
    const cwd = io.cwd ?? io.root;
    const json = outputPath('json', values.json, cwd);
    const junit = outputPath('junit', values.junit, cwd);
    serverFlag(values.server, lesson, io.root);
    const { checkLessonLive } = await import('../../check/check-lesson.ts');
    const { checkAction } = await import('../../runner/check.ts');
    const { liveOutput } = await import('../../runner/screen.ts');
    const live = liveOutput(io);
    const started = performance.now();
    let checked;
    let shown = ctx.wb.labs;
    if (values.target) {
      const { prepareTarget } = await import('../../workbook/target.ts');
      const graded = prepareTarget(values.target, [lesson], cwd);
      shown = graded.shown;
      try {
        if (graded.missing.length > 0) throw new UsageError(`--target ${values.target}: ${graded.shown} holds no ${lesson.slug}/ folder.`);
        const context = { target: graded.target, server: values.server };
        checked = { ...(await checkLessonLive(lesson, { context, style: ctx.wb.st, width: readingWidth(ctx) }, live)), text: '' };
      } finally {
        graded.dispose();
      }
    } else {
      checked = await checkAction(ctx, lesson, { inProcess: true, live, server: values.server });
    }
    if (checked.text) writeLine(io.stdout, checked.text);
    if (json || junit) {
      const { gradeReport, junitXml, labGrade, workbookVersion } = await import('../../check/grade-report.ts');
      const version = workbookVersion(io.root);
      const report = gradeReport([labGrade(lesson, checked.result, performance.now() - started)], { target: shown, server: values.server, version });
      if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
      if (junit) writeFileSync(junit, junitXml(report));
    }
    return checked.verdict.ok ? 0 : 1;
  },
});
