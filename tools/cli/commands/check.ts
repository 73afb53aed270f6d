// `npm start -- check <NN>`: checks the learner's lab (and records the attempt), or, with
// --target, grades another copy's lab without touching anyone's progress.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readingWidth } from '../../runner/context.ts';
import { lessonCommand } from '../lesson-command.ts';
import { writeLine } from '../../term/io.ts';

export const checkCommand = lessonCommand({
  name: 'check',
  summary: 'check your lab and explain what is wrong',
  flags: {
    target: { value: 'DIR', help: 'grade the lab in DIR (NN-slug/ folders); records no progress' },
    json: { value: 'FILE', help: 'also write the verdict and every check to FILE, as JSON' },
  },
  async run(ctx, lesson, values) {
    const { checkLessonLive } = await import('../../check/check-lesson.ts');
    const { checkAction } = await import('../../runner/check.ts');
    const { liveOutput } = await import('../../runner/screen.ts');
    const out = ctx.wb.io.stdout;
    const live = liveOutput(ctx.wb.io);
    const checked = values.target
      ? await checkLessonLive(lesson, { context: { target: values.target }, style: ctx.wb.st, width: readingWidth(ctx) }, live).then((c) => ({ ...c, text: '' }))
      : await checkAction(ctx, lesson, { inProcess: true, live });
    if (checked.text) writeLine(out, checked.text);
    if (values.json) {
      const report = { lesson: lesson.slug, ...checked.verdict, checks: checked.result.checks, errors: checked.result.errors };
      writeFileSync(path.resolve(values.json), JSON.stringify(report, null, 2) + '\n');
    }
    return checked.verdict.ok ? 0 : 1;
  },
});
