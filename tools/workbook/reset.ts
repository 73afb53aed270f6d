// Reset: the lab's files go back to exactly the starter as shipped (starters/NN-slug/), after
// the learner's whole lab folder is copied to .workbook/backups/NN-slug-<time>/. It needs no git
// and no network, and works whatever the learner has committed.

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { labFiles } from '../course/lessons.ts';
import { TREES } from '../course/paths.ts';

export interface ResetResult {
  /** Where the learner's files went, or undefined when the lab was already as shipped. */
  backup?: string;
  /** The files written back from the starter. */
  restored: string[];
  /** Files in the lab folder that the starter does not have: backed up, left in place. */
  extra: string[];
}

/** True when every shipped file is in the lab folder, unchanged. */
export function isAsShipped(lesson: Lesson, labs: string): boolean {
  return labFiles(TREES.starters, lesson).every((file) => {
    const mine = path.join(labs, lesson.slug, path.basename(file));
    return existsSync(mine) && readFileSync(mine).equals(readFileSync(file));
  });
}

export function resetLab(lesson: Lesson, labs: string, backups: string, now = new Date()): ResetResult {
  const dir = path.join(labs, lesson.slug);
  const shipped = labFiles(TREES.starters, lesson);
  if (shipped.length === 0) throw new Error(`starters/${lesson.slug}/ is missing: the workbook is incomplete.`);
  const names = new Set(shipped.map((f) => path.basename(f)));
  const present = existsSync(dir) ? readdirSync(dir) : [];
  let backup: string | undefined;
  if (present.length > 0 && !isAsShipped(lesson, labs)) {
    backup = path.join(backups, `${lesson.slug}-${now.toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(path.dirname(backup), { recursive: true });
    cpSync(dir, backup, { recursive: true, errorOnExist: true, force: false });
  }
  mkdirSync(dir, { recursive: true });
  for (const file of shipped) cpSync(file, path.join(dir, path.basename(file)));
  return { backup, restored: shipped.map((f) => path.join(dir, path.basename(f))), extra: present.filter((n) => !names.has(n)) };
}
