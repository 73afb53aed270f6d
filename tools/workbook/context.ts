// Everything a command needs to know about this copy of the workbook, built once from the Io:
// the lessons, where the learner's labs are, where progress is kept, and the colours.

import path from 'node:path';
import { discoverLessons, type Lesson } from '../course/lessons.ts';
import { resolveTarget, TREES } from '../course/paths.ts';
import type { Io } from '../term/io.ts';
import { makeStyle, type Style } from '../term/style.ts';
import { FileProgressStore, type ProgressStore } from '../progress/store.ts';

export interface Workbook {
  io: Io;
  st: Style;
  lessons: Lesson[];
  store: ProgressStore;
  /** The learner's tree: labs/, or the folder WORKBOOK_TARGET names. */
  labs: string;
  /** The value to hand to checkers for the learner's tree (undefined: the default, labs/). */
  target: string | undefined;
  /** Where progress and backups are kept: .workbook/, or WORKBOOK_STATE_DIR. */
  stateDir: string;
}

export function openWorkbook(io: Io): Workbook {
  const st = makeStyle(io.color);
  const stateDir = io.env.WORKBOOK_STATE_DIR ? path.resolve(io.env.WORKBOOK_STATE_DIR) : path.join(io.root, '.workbook');
  const target = io.env.WORKBOOK_TARGET || undefined;
  return {
    io,
    st,
    lessons: discoverLessons(io.root),
    store: new FileProgressStore(stateDir, (message) => io.stderr.write(`${st.warn('!')} ${message}\n`)),
    labs: target ? resolveTarget(target) : TREES.labs,
    target,
    stateDir,
  };
}
