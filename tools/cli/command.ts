import type { Io } from '../term/io.ts';

/** One `npm start -- <name> ...` command. `run` returns the exit code: 0 ok, 1 failed check, 2 usage. */
export interface Command {
  name: string;
  /** One line for `help`, under 60 characters. */
  summary: string;
  /** e.g. "check <NN>"; shown in help and in usage errors. */
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}
