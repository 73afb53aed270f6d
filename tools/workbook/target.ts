// A folder of labs to grade, given with --target (an instructor's class submissions, unpacked,
// or a learner's clone): checked before anything runs, and made runnable when it must be.
//
// - It must exist and hold at least one lab folder (NN-slug/); otherwise one line and exit 2, so
//   that a typo does not give a student zero for every lab.
// - Labs of the course that it does not hold are "missing", not failed.
// - The labs are TypeScript modules that use top-level await, which tsx runs as ES modules only
//   where the nearest package.json says "type": "module". A folder outside any workbook copy has
//   none, so its labs are copied to a temporary folder that has one, and every message names the
//   original files (course/paths.ts: showPathAs).

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { resolveTarget, showPathAs } from '../course/paths.ts';
import { UsageError } from '../term/usage-error.ts';

export interface GradedTarget {
  /** The folder to hand to checkers (the original, or the runnable copy). */
  target: string;
  /** The folder as given, for messages and reports. */
  shown: string;
  /** The course's labs that the folder does not hold. */
  missing: Lesson[];
  /** Removes the copy, if one was made. */
  dispose(): void;
}

export function prepareTarget(given: string, lessons: readonly Lesson[], cwd: string): GradedTarget {
  const dir = path.isAbsolute(given) || given in { labs: 1, solutions: 1, starters: 1 } ? resolveTarget(given) : path.resolve(cwd, given);
  const example = '`npm run grade -- --target ../their-clone/labs`';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--target ${given}: there is no folder ${dir}. Give the folder that holds the lab folders (01-udp-vs-tcp/, 02-basic-server/, …), e.g. ${example}.`);
  const present = lessons.filter((l) => existsSync(path.join(dir, l.slug)));
  if (present.length === 0) {
    throw new UsageError(`--target ${given}: ${dir} holds no lab folder (01-udp-vs-tcp/, 02-basic-server/, …). Give the folder that holds them, e.g. ${example}.`);
  }
  const missing = lessons.filter((l) => !present.includes(l));
  if (runsAsModules(dir)) return { target: dir, shown: dir, missing, dispose: () => {} };
  const copy = mkdtempSync(path.join(tmpdir(), 'workbook-grade-'));
  writeFileSync(path.join(copy, 'package.json'), '{ "type": "module" }\n');
  for (const lesson of present) cpSync(path.join(dir, lesson.slug), path.join(copy, lesson.slug), { recursive: true });
  const forget = showPathAs(copy, dir);
  return {
    target: copy,
    shown: dir,
    missing,
    dispose() {
      forget();
      rmSync(copy, { recursive: true, force: true });
    },
  };
}

/** Whether the nearest package.json above `dir` says "type": "module". */
function runsAsModules(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    const file = path.join(at, 'package.json');
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(at) === at) return false;
  }
}
