// Flags for one command, parsed strictly with node:util's parseArgs: an unknown flag or a
// missing value is a one-line usage error that shows what to type.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../term/usage-error.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Thrown for --help (or -h): the command line prints the command's usage instead of running it. */
export class HelpRequest extends Error {
  override name = 'HelpRequest';
}

export function parseCommand<const O extends Options>(args: string[], usage: string, options: O) {
  if (args.includes('--help') || args.includes('-h')) throw new HelpRequest();
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message goes on to explain `--` for positionals; its first sentence is what matters.
    const first = /^.*?(?:\.(?=\s|$)|$)/m.exec((err as Error).message)![0].replace(/([^.])$/, '$1.');
    throw new UsageError(`${first} Type \`npm start -- ${usage}\`.`);
  }
}
