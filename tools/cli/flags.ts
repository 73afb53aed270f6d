// The one parser of the command line's arguments and flags. Every command declares them as a
// table (name, value placeholder, one line of help), and every mistake gets the same wording: what
// is wrong, the closest flag when one was misspelt, and where to read the options.
//
// node:util's parseArgs splits the arguments into tokens; the checks on those tokens are ours, so
// that each mistake is known by what it is rather than by Node's message.

import { parseArgs } from 'node:util';
import { UsageError } from '../term/usage-error.ts';
import { closest } from './suggest.ts';

export interface Flag {
  /** The value's placeholder in help (`--count N`); a flag without one is a switch. */
  value?: string;
  /** A one-letter alias: `-y`. */
  short?: string;
  /** One line for help. */
  help: string;
  /** Parsed but not listed in help, e.g. the proxy's `--up-loss`, which help shows once as `--up-NAME`. */
  unlisted?: boolean;
  /** May be given more than once; its values come as a list, in order (the proxy's `--target`). */
  multiple?: boolean;
}

export type Flags = Readonly<Record<string, Flag>>;

/** A positional argument. */
export interface Arg {
  /** As in the usage line: `<NN>`, `HOST:PORT`. */
  name: string;
  /** One line for help. */
  help: string;
  /** What the command takes, for the message about an extra argument: "one lesson". */
  what: string;
  optional?: boolean;
  /** Takes every argument left (the words of send's TEXT). */
  rest?: boolean;
}

/** What a command's arguments may be. */
export interface Syntax {
  name: string;
  args: readonly Arg[];
  flags: Flags;
}

export type Values<F extends Flags> = {
  [K in keyof F]?: F[K] extends { multiple: true } ? string[] : F[K] extends { value: string } ? string : boolean;
};

/** Every command takes it; it shows the command's help instead of running it. */
export const HELP_FLAG: Flag = { short: 'h', help: 'show this help' };

/** Thrown for --help (or -h): the command line prints the command's help instead of running it. */
export class HelpRequest extends Error {
  override name = 'HelpRequest';
}

/** The end of every message about a command's arguments: where to read them all. */
export function seeHelp(command: string): string {
  return `See \`npm start -- help ${command}\`.`;
}

export function parseFlags<F extends Flags>(syntax: Syntax & { flags: F }, argv: readonly string[]): { args: string[]; values: Values<F> } {
  const flags: Flags = { ...syntax.flags, help: HELP_FLAG };
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, { type: f.value === undefined ? ('boolean' as const) : ('string' as const), ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) }]),
  );
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const wrong = (problem: string) => new UsageError(`${problem} ${seeHelp(syntax.name)}`);

  // --help wins over any mistake around it.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) throw new HelpRequest();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = flags[token.name];
    if (!flag) {
      const guess = token.rawName.startsWith('--') ? closest(token.name, Object.keys(flags)) : undefined;
      throw wrong(`Unknown option ${token.rawName}.${guess ? ` Did you mean --${guess}?` : ''}`);
    }
    if (flag.value === undefined && token.value !== undefined) throw wrong(`--${token.name} takes no value.`);
    // A value that looks like a flag was most likely a forgotten value (parseArgs' strict mode refuses it too).
    const missing = token.value === undefined || (!token.inlineValue && token.value.startsWith('-'));
    if (flag.value !== undefined && missing) throw wrong(`--${token.name} needs a value: --${token.name} ${flag.value}.`);
  }
  const most = syntax.args.some((a) => a.rest) ? Infinity : syntax.args.length;
  if (positionals.length > most) {
    const onlyOptions = Object.keys(syntax.flags).length > 0 ? 'no arguments, only options' : 'no arguments';
    const takes = syntax.args.length === 0 ? onlyOptions : syntax.args.map((a) => a.what).join(' and ');
    throw wrong(`Unexpected argument "${positionals[most]}": \`${syntax.name}\` takes ${takes}.`);
  }
  return { args: positionals, values: values as Values<F> };
}

/** A flag's value, parsed by `parse`; what it throws becomes one line that names the flag. */
export function flagValue<T>(command: string, flag: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message} ${seeHelp(command)}`);
  }
}
