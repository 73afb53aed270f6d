import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The workbook's root folder: the one with package.json, lessons/, labs/, solutions/. */
export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The trees that hold a copy of every lab, in the same NN-slug/ layout. */
export const TREES = {
  /** The learner's copy: what `npm start -- check` grades by default. */
  labs: path.join(ROOT, 'labs'),
  /** The reference answers. */
  solutions: path.join(ROOT, 'solutions'),
  /** The labs exactly as shipped; never edited. `reset` restores from here. */
  starters: path.join(ROOT, 'starters'),
} as const;

export type TreeName = keyof typeof TREES;

/**
 * The folder a checker grades: WORKBOOK_TARGET is `labs` (the default), `solutions`, `starters`,
 * or a path (absolute, or relative to the workbook's root) to any folder with the NN-slug/ layout.
 */
export function resolveTarget(target: string | undefined): string {
  if (!target) return TREES.labs;
  if (target in TREES) return TREES[target as TreeName];
  return path.resolve(ROOT, target);
}

const aliases = new Map<string, string>();

/**
 * Messages name files under `real` as if they were under `shown` (a copy made to run the labs of
 * a folder elsewhere, workbook/target.ts). Returns a function that forgets it.
 */
export function showPathAs(real: string, shown: string): () => void {
  aliases.set(real, shown);
  return () => aliases.delete(real);
}

/** A path relative to the root, for messages: `labs/02-basic-server/server.ts`. */
export function relativeToRoot(file: string): string {
  for (const [real, shown] of aliases) {
    if (file === real || file.startsWith(real + path.sep)) return shown + file.slice(real.length);
  }
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}
