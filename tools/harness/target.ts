// Where a checker finds the code it grades: WORKBOOK_TARGET names the tree (DESIGN.md,
// "The checked tree"). This is the one place the harness reads the environment.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { relativeToRoot, resolveTarget } from '../course/paths.ts';
import { CheckFailure } from './failure.ts';
import { summariseCrash } from './crash.ts';

let imports = 0;

export function targetTree(): string {
  return resolveTarget(process.env.WORKBOOK_TARGET);
}

/** The path of `file` in lesson `slug` of the graded tree. */
export function labPath(slug: string, file: string): string {
  return path.join(targetTree(), slug, file);
}

/** Imports a lab module (for labs that export functions), turning a load error into advice. */
export async function importLab<T>(slug: string, file: string): Promise<T> {
  const full = labPath(slug, file);
  if (!existsSync(full)) {
    throw new CheckFailure({
      summary: `There is no ${relativeToRoot(full)}.`,
      hint: `Restore the starter with \`npm start -- reset ${slug.slice(0, 2)}\` (your current files are backed up first).`,
    });
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
