// A command of `npm start -- <name> ...`: its arguments and flags as data, for the parser and for
// help, and what it does with them.

import type { Io } from '../term/io.ts';
import { parseFlags, type Arg, type Flags, type Syntax, type Values } from './flags.ts';

/** A group of flags that help lists under a heading of its own (the proxy's impairments). */
export interface FlagGroup {
  heading: string;
  flags: Flags;
}

/** One `npm start -- <name> ...` command. `run` returns the exit code: 0 ok, 1 failed check, 2 usage. */
export interface Command extends Syntax {
  /** One line for `help`, under 60 characters. */
  summary: string;
  /** The usage line after `npm start -- `: "check <NN> [--target DIR] [--json FILE]". */
  usage: string;
  /** Lines of help after the summary: what the command does, an example. */
  about: readonly string[];
  /** Flags that help lists after the others, under their own heading; they are parsed alike. */
  groups: readonly FlagGroup[];
  run(argv: readonly string[], io: Io): Promise<number>;
}

export interface CommandSpec<F extends Flags> {
  name: string;
  summary: string;
  args?: readonly Arg[];
  flags?: F;
  groups?: readonly FlagGroup[];
  about?: readonly string[];
  /** The usage line, when the one made from the arguments and flags would not say enough. */
  usage?: string;
  /** Does the work with the parsed arguments and flags; returns the exit code. */
  run(input: { args: string[]; values: Values<F> }, io: Io): Promise<number>;
}

/** Listed flags beyond this many show as "[options]" in the usage line. */
const FLAGS_IN_USAGE = 3;

export function defineCommand<const F extends Flags = Record<never, never>>(spec: CommandSpec<F>): Command {
  const args = spec.args ?? [];
  const own = spec.flags ?? ({} as F);
  const groups = spec.groups ?? [];
  const flags: Flags = Object.assign({}, own, ...groups.map((g) => g.flags));
  const syntax = { name: spec.name, args, flags };
  return {
    ...syntax,
    summary: spec.summary,
    usage: spec.usage ?? usageOf(spec.name, args, own, groups.length > 0),
    about: spec.about ?? [],
    groups,
    run: (argv, io) => spec.run(parseFlags(syntax, argv) as { args: string[]; values: Values<F> }, io),
  };
}

/** `check <NN> [--target DIR] [--json FILE]`, `send HOST:PORT [TEXT] [options]`. */
function usageOf(name: string, args: readonly Arg[], flags: Flags, more: boolean): string {
  const listed = Object.entries(flags).filter(([, f]) => !f.unlisted);
  const flagText = more || listed.length > FLAGS_IN_USAGE ? ['[options]'] : listed.map(([n, f]) => `[--${n}${f.value ? ` ${f.value}` : ''}]`);
  return [name, ...args.map(argText), ...flagText].join(' ');
}

export function argText(arg: Arg): string {
  return arg.optional ? `[${arg.name}]` : arg.name;
}
