// The files a command is asked to write (--json FILE, --junit FILE), checked before any work is
// done: a grade that runs for a minute and then cannot write its report helps nobody.

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../term/usage-error.ts';

/** The absolute path to write, or a one-line usage error saying why it cannot be written. */
export function outputPath(flag: string, file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const full = path.resolve(cwd, file);
  const dir = path.dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--${flag} ${file}: there is no folder ${dir} to write it in. Create it, or name a file in an existing folder.`);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`--${flag} ${file}: that is a folder; name a file, e.g. --${flag} ${path.join(file, `grade.${flag === 'junit' ? 'xml' : 'json'}`)}.`);
  try {
    accessSync(existsSync(full) ? full : dir, constants.W_OK);
  } catch {
    throw new UsageError(`--${flag} ${file}: ${existsSync(full) ? full : dir} cannot be written (no permission).`);
  }
  return full;
}
