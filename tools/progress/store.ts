// What the workbook remembers between runs, behind a small interface: a file store for real use
// and a memory store for tests (rustlings' app_state.rs).
//
// The file, `.workbook/progress.json` (or `$WORKBOOK_STATE_DIR/progress.json`):
//
//   {
//     "version": 1,
//     "labs": {
//       "02-basic-server": {
//         "passed": true,                         // has a check ever passed?
//         "passedAt": "2026-11-25T10:00:00.000Z", // the first time it passed
//         "attempts": 3,                          // checks run on the learner's lab
//         "hintsSeen": 2                          // hints shown so far (the next is hintsSeen + 1)
//       }
//     },
//     "quizzes": {
//       "02-basic-server": {
//         "best": 4, "of": 5,                     // the best score so far, out of
//         "at": "2026-11-25T10:05:00.000Z",       // when it was scored
//         "taken": 2                              // quizzes finished (it seeds the order of the choices)
//       }
//     }
//   }
//
// Writes are atomic: a temporary file in the same folder, then a rename over the old one, so a
// crash never leaves half a file. Read-modify-write goes under a lock file, so two workbooks
// (a watch in one terminal, a check in another) never lose each other's updates. A file that
// cannot be read as progress is renamed aside (progress.json.corrupt-<time>) with a warning, and
// the workbook carries on with fresh progress.

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';

export interface LabProgress {
  passed: boolean;
  passedAt?: string;
  attempts: number;
  hintsSeen: number;
}

export interface QuizProgress {
  best: number;
  of: number;
  at: string;
  /** How many times the quiz was finished; absent in files written before it was counted. */
  taken?: number;
}

export interface Progress {
  version: 1;
  labs: Record<string, LabProgress>;
  quizzes: Record<string, QuizProgress>;
}

export interface ProgressStore {
  read(): Progress;
  /** Applies `change` to the latest progress and saves it; returns what was saved. */
  update(change: (progress: Progress) => void): Progress;
}

export const emptyProgress = (): Progress => ({ version: 1, labs: {}, quizzes: {} });

export function labProgress(progress: Progress, slug: string): LabProgress {
  return progress.labs[slug] ?? { passed: false, attempts: 0, hintsSeen: 0 };
}

/** The same change, applied through `update`, for the common cases. */
export const record = {
  attempt: (slug: string, passed: boolean, now = new Date()) => (p: Progress) => {
    const lab = labProgress(p, slug);
    p.labs[slug] = { ...lab, attempts: lab.attempts + 1, passed: lab.passed || passed, passedAt: lab.passedAt ?? (passed ? now.toISOString() : undefined) };
  },
  /** The lab is back to its starter: it is no longer marked passed (passedAt keeps the first pass). */
  reset: (slug: string) => (p: Progress) => {
    const lab = labProgress(p, slug);
    if (p.labs[slug]) p.labs[slug] = { ...lab, passed: false };
  },
  hintSeen: (slug: string, count: number) => (p: Progress) => {
    const lab = labProgress(p, slug);
    p.labs[slug] = { ...lab, hintsSeen: Math.max(lab.hintsSeen, count) };
  },
  quiz: (slug: string, score: number, of: number, now = new Date()) => (p: Progress) => {
    const before = p.quizzes[slug];
    const taken = (before?.taken ?? (before ? 1 : 0)) + 1;
    p.quizzes[slug] = !before || score > before.best ? { best: score, of, at: now.toISOString(), taken } : { ...before, taken };
  },
};

export class MemoryProgressStore implements ProgressStore {
  private progress: Progress;
  constructor(initial: Progress = emptyProgress()) {
    this.progress = structuredClone(initial);
  }
  read(): Progress {
    return structuredClone(this.progress);
  }
  update(change: (progress: Progress) => void): Progress {
    change(this.progress);
    return this.read();
  }
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export class FileProgressStore implements ProgressStore {
  readonly file: string;
  private readonly warn: (message: string) => void;

  constructor(dir: string, warn: (message: string) => void) {
    this.file = path.join(dir, 'progress.json');
    this.warn = warn;
  }

  read(): Progress {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyProgress();
      return this.setAside(`could not be read (${(err as Error).message})`);
    }
    const progress = parseProgress(text);
    return progress ?? this.setAside('is damaged');
  }

  update(change: (progress: Progress) => void): Progress {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const unlock = this.lock();
    try {
      const progress = this.read();
      change(progress);
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(progress, null, 2) + '\n');
      renameSync(temp, this.file);
      return progress;
    } finally {
      unlock();
    }
  }

  private setAside(why: string): Progress {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, aside);
      this.warn(`Your progress file ${why}; it was moved to ${aside} and the workbook starts with fresh progress.`);
    } catch {
      this.warn(`Your progress file ${why} and could not be moved aside; the workbook carries on with fresh progress.`);
    }
    return emptyProgress();
  }

  /** A lock file created exclusively; one left by a crashed process is taken over after a while. */
  private lock(): () => void {
    const lockFile = `${this.file}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lockFile, 'wx'));
        return () => rmSync(lockFile, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      if (isStale(lockFile) || Date.now() > deadline) rmSync(lockFile, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function isStale(lockFile: string): boolean {
  try {
    return Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false; // gone already: try again
  }
}

/** The progress in `text`, or undefined if it is not progress this workbook wrote. */
export function parseProgress(text: string): Progress | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(data) || data.version !== 1 || !isObject(data.labs) || !isObject(data.quizzes)) return undefined;
  return data as unknown as Progress;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
