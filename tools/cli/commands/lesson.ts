// `npm start -- lesson <NN> [--width N] [--plain]`: the whole lesson, rendered for the terminal.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makePalette, renderLesson, terminalWidth, MIN_WIDTH } from '../../render/index.ts';
import { lessonFromArg } from '../lesson-arg.ts';
import { UsageError, writeLine, type Command } from '../io.ts';

const USAGE = 'lesson <NN> [--width N] [--plain]';
const MAX_WIDTH = 200;

export const lessonCommand: Command = {
  name: 'lesson',
  summary: 'read a lesson (--plain: no box drawing)',
  usage: USAGE,
  async run(args, io) {
    const { positionals, values } = flags(args);
    const lesson = lessonFromArg(positionals[0], 'lesson <NN>', io.root);
    if (positionals.length > 1) throw new UsageError(`One lesson at a time: type for example \`npm start -- lesson ${lesson.number}\`.`);
    const width = values.width === undefined ? terminalWidth(io.stdout.columns) : columns(values.width, lesson.number);
    if (!existsSync(path.join(lesson.dir, 'lesson.md'))) {
      writeLine(io.stderr, `Lesson ${lesson.number} has no text yet: lessons/${lesson.slug}/lesson.md is missing.`);
      return 1;
    }
    writeLine(io.stdout, renderLesson(lesson.dir, { width, palette: makePalette(io.color), plain: values.plain === true }));
    return 0;
  },
};

function flags(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { width: { type: 'string' }, plain: { type: 'boolean' } } });
  } catch (err) {
    // Node's message goes on to explain `--` for positionals; its first sentence is what matters here.
    const first = /^.*?(?:\.(?=\s|$)|$)/m.exec((err as Error).message)![0].replace(/([^.])$/, '$1.');
    throw new UsageError(`${first} Type \`npm start -- ${USAGE}\`.`);
  }
}

function columns(value: string, lesson: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_WIDTH || n > MAX_WIDTH) {
    throw new UsageError(`--width takes a number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}: type for example \`npm start -- lesson ${lesson} --width 80\`.`);
  }
  return n;
}
