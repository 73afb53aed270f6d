// Most commands act on one lesson: `npm start -- <name> <NN> [flags]`. This makes such a command
// from its name, its flags and what it does, so that each parses and reports errors the same way.

import type { Lesson } from '../course/lessons.ts';
import type { RunnerContext } from '../runner/context.ts';
import { defineCommand, type Command } from './command.ts';
import type { Flags, Values } from './flags.ts';
import { LESSON_ARG, lessonFromArg } from './lesson-arg.ts';
import { runnerContext } from './runner-context.ts';

export interface LessonCommandSpec<F extends Flags> {
  name: string;
  summary: string;
  flags?: F;
  /** Does the work; returns the exit code (0 when it returns nothing). */
  run(ctx: RunnerContext, lesson: Lesson, values: Values<F>): Promise<number | void>;
}

export function lessonCommand<const F extends Flags = Record<never, never>>(spec: LessonCommandSpec<F>): Command {
  return defineCommand({
    name: spec.name,
    summary: spec.summary,
    args: [LESSON_ARG],
    flags: spec.flags ?? ({} as F),
    async run({ args, values }, io) {
      const lesson = lessonFromArg(args[0], `${spec.name} <NN>`, io.root);
      return (await spec.run(await runnerContext(io), lesson, values)) ?? 0;
    },
  });
}
