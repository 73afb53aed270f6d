// --server CMD (check, watch, grade): a server lab done in another language. The lab must be a
// server (lab 01's is a function), and the command must say something.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { UsageError } from '../term/usage-error.ts';

/** Whether the lesson's lab is a server (its solution has a server.ts). */
export function isServerLab(lesson: Lesson, root: string): boolean {
  return existsSync(path.join(root, 'solutions', lesson.slug, 'server.ts'));
}

/** Refuses a --server that cannot apply, in one line. */
export function serverFlag(command: string | undefined, lesson: Lesson, root: string): void {
  if (command === undefined) return;
  if (!command.trim()) throw new UsageError(`--server needs a command, e.g. \`npm start -- check ${lesson.number} --server "python3 server.py"\`.`);
  if (!isServerLab(lesson, root)) throw new UsageError(`Lab ${lesson.number} is not a server (its lab is a function, in TypeScript): --server applies to the server labs only.`);
}
