// `npm start -- lesson <NN>`: at a terminal, the lesson step by step, then its screen of actions;
// otherwise (a pipe, CI) or with --print, --width or --plain, the whole lesson rendered at once.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { MIN_WIDTH, terminalWidth } from '../../render/width.ts';
import { LESSON_ARG, lessonFromArg } from '../lesson-arg.ts';
import { runnerContext } from '../runner-context.ts';
import { UsageError } from '../../term/usage-error.ts';
import { writeLine } from '../../term/io.ts';
import { defineCommand } from '../command.ts';

const MAX_WIDTH = 200;

export const lessonCommand = defineCommand({
  name: 'lesson',
  summary: 'read a lesson, step by step',
  args: [LESSON_ARG],
  flags: {
    print: { help: 'print the whole lesson at once, not step by step' },
    width: { value: 'N', help: `lay it out N columns wide (${MIN_WIDTH} to ${MAX_WIDTH}; default: the terminal's)` },
    plain: { help: 'no box drawing, for screen readers and copy-paste' },
  },
  async run({ args, values }, io) {
    const lesson = lessonFromArg(args[0], 'lesson <NN>', io.root);
    const width = values.width === undefined ? terminalWidth(io.stdout.columns) : columns(values.width, lesson.number);
    if (!existsSync(path.join(lesson.dir, 'lesson.md'))) {
      writeLine(io.stderr, `Lesson ${lesson.number} has no text yet: lessons/${lesson.slug}/lesson.md is missing.`);
      return 1;
    }
    const ctx = await runnerContext(io);
    if (ctx.prompts && !values.print && values.width === undefined && !values.plain) {
      await (await import('../../runner/read.ts')).readAction(ctx, ctx.prompts, lesson);
      const { lessonScreen, menu } = await import('../../runner/menu.ts');
      const next = await lessonScreen(ctx, ctx.prompts, lesson);
      return next === 'back' ? menu(ctx, ctx.prompts) : next === 'quit' ? 0 : menu(ctx, ctx.prompts, next);
    }
    const { lessonMarkdown } = await import('../../course/lesson-text.ts');
    const { makePalette, renderMarkdown } = await import('../../render/index.ts');
    writeLine(io.stdout, renderMarkdown(lessonMarkdown(lesson.dir), { width, palette: makePalette(io.color), plain: values.plain === true }));
    return 0;
  },
});

function columns(value: string, lesson: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_WIDTH || n > MAX_WIDTH) {
    throw new UsageError(`--width takes a number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}: type for example \`npm start -- lesson ${lesson} --width 80\`.`);
  }
  return n;
}
