// Most commands act on one lesson: `npm start -- <name> <NN> [flags]`. This makes such a command
// from its name, its flags and what it does, so that each parses and reports errors the same way.

import type { Lesson } from '../course/lessons.ts';
import type { RunnerContext } from '../runner/context.ts';
import { parseCommand, type Options } from './flags.ts';
import type { Command } from './command.ts';
import { lessonFromArg } from './lesson-arg.ts';
import { runnerContext } from './runner-context.ts';

export interface LessonCommandSpec<O extends Options> {
  name: string;
  summary: string;
  /** The flags as shown in the usage line, e.g. "[--yes]". */
  flags?: string;
  options?: O;
  /** Does the work; returns the exit code (0 when it returns nothing). */
  run(ctx: RunnerContext, lesson: Lesson, values: ReturnType<typeof parseCommand<O>>['values']): Promise<number | void>;
}

export function lessonCommand<const O extends Options = Record<never, never>>(spec: LessonCommandSpec<O>): Command {
  const usage = `${spec.name} <NN>${spec.flags ? ` ${spec.flags}` : ''}`;
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    async run(args, io) {
      const { positionals, values } = parseCommand(args, usage, spec.options ?? ({} as O));
      const lesson = lessonFromArg(positionals[0], `${spec.name} <NN>`, io.root);
      return (await spec.run(await runnerContext(io), lesson, values)) ?? 0;
    },
  };
}
