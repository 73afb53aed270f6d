// Where a checker finds the code it grades: the check context names the tree (DESIGN.md,
// "The checked tree"; context.ts).

// A lab's own modules are never imported here: the learner's code runs in processes of its own
// (a server, or a probe: probe.ts).

import path from 'node:path';
import { resolveTarget } from '../course/paths.ts';
import { checkContext } from './context.ts';

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
