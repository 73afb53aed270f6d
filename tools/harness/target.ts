// Where a checker finds the code it grades: the check context names the tree (DESIGN.md,
// "The checked tree"; context.ts).

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { relativeToRoot, resolveTarget } from '../course/paths.ts';
import { CheckFailure } from './failure.ts';
import { summariseCrash } from './crash.ts';
import { checkContext } from './context.ts';

let imports = 0;

export function targetTree(): string {
  return resolveTarget(checkContext().target);
}

/** The path of `file` in lesson `slug` of the graded tree. */
export function labPath(slug: string, file: string): string {
  return path.join(targetTree(), slug, file);
}

/**
 * The command that stands in for `file` when it is the graded lab's server.ts and the context
 * names a server in another language (`check NN --server CMD`); undefined otherwise.
 */
export function foreignServer(file: string): string | undefined {
  const { server } = checkContext();
  if (!server || path.basename(file) !== 'server.ts') return undefined;
  return path.resolve(file).startsWith(targetTree() + path.sep) ? server : undefined;
}

/** "Restore the starter with `npm start -- reset 02`…", for a missing lab file. */
export function resetHint(file: string): string {
  const lesson = /(?:^|[/\\])(\d{2})-[a-z0-9-]+[/\\][^/\\]+$/.exec(file)?.[1];
  return `Restore the starter with \`npm start -- reset ${lesson ?? '<NN>'}\` (your current files are backed up first).`;
}

/** Imports a lab module (for labs that export functions), turning a load error into advice. */
export async function importLab<T>(slug: string, file: string): Promise<T> {
  const full = labPath(slug, file);
  if (!existsSync(full)) {
    throw new CheckFailure({ summary: `There is no ${relativeToRoot(full)}.`, hint: resetHint(full) });
  }
  try {
    // A fresh copy each time: a process that checks twice (watch mode) must see the saved file.
    return (await import(`${pathToFileURL(full).href}?load=${++imports}`)) as T;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const crash = summariseCrash(message.split('\n'));
    throw new CheckFailure({
      summary: `${relativeToRoot(full)} could not be loaded.`,
      got: (crash.location ? crash.lines : message.split('\n')).slice(0, 6).join('\n'),
      hint: crash.location ? crash.hint : 'Fix the error above: the line and column point at it. `npm run typecheck` shows it too.',
    });
  }
}
