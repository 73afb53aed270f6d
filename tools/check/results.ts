import { formatFailure } from '../harness/failure.ts';

// What a checker run produces, as data: the same shape from the fast runner and from vitest, in
// this process or across a child's JSON line. A failure travels as its fields (STYLE 15); only the
// report (report.ts) turns them into text.

/** A failed check, as the learner reads it. A CheckFailure's details, or an unexpected error. */
export interface Failure {
  /** One sentence: what went wrong. */
  summary: string;
  sent?: string;
  expected?: string;
  got?: string;
  /** The server's last log lines, if a server was involved. */
  log?: string[];
  /** The likely cause and what to try. */
  hint?: string;
  /** Not a CheckFailure: a bug in the check, or an error nobody expected. */
  unexpected?: boolean;
  /** For an unexpected error: the first lines of its stack. */
  stack?: string;
}

export interface CheckResult {
  /** The `it(...)` name: what a correct lab does. */
  name: string;
  /** The names of the describe blocks around it, outermost first. */
  suite: string[];
  state: 'passed' | 'failed' | 'skipped';
  /** Set when failed. */
  failure?: Failure;
  /** Why it was skipped, when it says. */
  note?: string;
  durationMs: number;
}

export interface FileResult {
  /** The checker or test file, relative to the root. */
  file: string;
  checks: CheckResult[];
  /** Problems of the file itself: it could not load, a beforeAll or afterAll failed. */
  errors: Failure[];
  /** Which runner ran it: the workbook's fast runner, or vitest (and why). */
  runner: 'fast' | 'vitest';
  /** When vitest ran it although the fast runner was asked: the feature outside the subset. */
  fallback?: string;
}

/** An error as a Failure: a CheckFailure keeps its details; anything else is unexpected. */
export function toFailure(err: unknown): Failure {
  const e = (err ?? {}) as { name?: string; message?: string; stack?: string; details?: Omit<Failure, 'unexpected' | 'stack'> };
  if (e.name === 'CheckFailure' && e.details && typeof e.details.summary === 'string') return { ...e.details };
  const name = e.name ?? 'Error';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const stack = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6).join('\n');
  return { summary: `${name}: ${message}`, unexpected: true, ...(stack ? { stack } : {}) };
}

/** A failure as plain text, for the self-test's output and vitest's. */
export function failureText(f: Failure): string {
  return f.stack ? `${formatFailure(f)}\n${f.stack}` : formatFailure(f);
}
