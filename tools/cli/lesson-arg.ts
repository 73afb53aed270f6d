import { discoverLessons, findLesson, type Lesson } from '../course/lessons.ts';
import { UsageError } from '../term/usage-error.ts';
import type { Arg } from './flags.ts';

/** The argument of every command that acts on one lesson. */
export const LESSON_ARG: Arg = { name: '<NN>', help: 'a lesson: its number (02) or its name (02-basic-server)', what: 'one lesson' };

/** The lesson an argument names ("2", "02", "02-basic-server"), or a one-line usage error. */
export function lessonFromArg(arg: string | undefined, usage: string, root?: string): Lesson {
  const lessons = discoverLessons(root);
  const range = lessons.length > 0 ? `${lessons[0]!.number}–${lessons.at(-1)!.number}` : 'none yet';
  if (arg === undefined) {
    throw new UsageError(`Which lesson? Type \`npm start -- ${usage.replace('<NN>', lessons[0]?.number ?? '01')}\` (lessons ${range}).`);
  }
  const lesson = findLesson(lessons, arg);
  if (!lesson) {
    throw new UsageError(
      `No lesson "${arg}". The lessons are ${range}: type for example \`npm start -- ${usage.replace('<NN>', lessons[0]?.number ?? '01')}\`, or \`npm start -- list\` to see them all.`,
    );
  }
  return lesson;
}
