// Runs a lesson's checker in a child process (tools/bin/check-child.ts) and returns its results.
// The self-test runs several at once this way, and the runner can stop a check that a newer save
// overtakes: aborting the signal, or the time limit, stops the child and every server it started.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot, ROOT } from '../course/paths.ts';
import { TSX_IMPORT } from '../harness/server-process.ts';
import type { FileResult } from './run-checkers.ts';

/** The child's last line of stdout starts with this, followed by the FileResult as JSON. */
export const RESULT_PREFIX = '@@workbook-check-result ';
const ENTRY = fileURLToPath(new URL('../bin/check-child.ts', import.meta.url));

/** One run of the checker: the tree to grade, and optionally only some checks. */
export interface CheckJob {
  target?: string;
  only?: readonly string[];
}

export interface ChildCheckOptions extends CheckJob {
  /** Stop the child after this long and report it (default 120 s). */
  timeoutMs?: number;
  /** Aborting stops the child; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export function checkInChild(lesson: Lesson, options: ChildCheckOptions = {}): Promise<FileResult> {
  return prepareCheck(lesson, options).run(options.signal);
}

/** A check whose process is started ahead of time, so that `run` needs no start-up. */
export interface PreparedCheck {
  /** Starts the check (once) and resolves with its results; aborting `signal` stops it. */
  run(signal?: AbortSignal): Promise<FileResult>;
  /** Stops the waiting process without running the check. */
  cancel(): void;
}

/**
 * Starts the child now: it loads the checker's tools and waits for its job. Watch mode prepares
 * the next check while the learner edits.
 */
export function prepareCheck(lesson: Lesson, options: Omit<ChildCheckOptions, 'signal'> = {}): PreparedCheck {
  const worker = new CheckWorker(lesson, options.timeoutMs);
  let started = false;
  return {
    cancel: () => worker.stop('cancelled'),
    async run(signal) {
      if (started) throw new Error('A prepared check runs once.');
      started = true;
      try {
        return await worker.run({ target: options.target, only: options.only }, signal);
      } finally {
        worker.close();
      }
    },
  };
}

/** A child process that runs a lesson's checker for each job it is given, one after another. */
export class CheckWorker {
  private readonly lesson: Lesson;
  private readonly timeoutMs: number;
  private readonly child;
  private readonly closed: Promise<number | null>;
  private stdout = '';
  private stderr = '';
  private why: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting: ((line: string | undefined) => void) | undefined;

  constructor(lesson: Lesson, timeoutMs = 120_000) {
    this.lesson = lesson;
    this.timeoutMs = timeoutMs;
    this.child = spawn(process.execPath, ['--import', TSX_IMPORT, ENTRY, lesson.slug], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin.on('error', () => {}); // the child may be gone already; its exit says why
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      let end: number;
      while ((end = this.stdout.indexOf('\n')) >= 0) {
        const line = this.stdout.slice(0, end);
        this.stdout = this.stdout.slice(end + 1);
        if (line.startsWith(RESULT_PREFIX)) this.waiting?.(line.slice(RESULT_PREFIX.length));
      }
    });
    this.closed = new Promise((resolve) => this.child.on('close', (code) => {
      this.waiting?.(undefined);
      resolve(code);
    }));
  }

  /** Runs the job after the ones before it; aborting `signal` stops the whole worker. */
  run(job: CheckJob, signal?: AbortSignal): Promise<FileResult> {
    const result = this.queue.then(() => this.runNow(job, signal));
    this.queue = result.catch(() => {});
    return result;
  }

  /** No more jobs: the child ends once the last one given is done. */
  close(): void {
    void this.queue.then(() => this.child.stdin.end());
  }

  /** Stops the child (SIGTERM lets it stop the servers it started; SIGKILL follows). */
  stop(reason: string): void {
    this.why ??= reason;
    this.child.kill('SIGTERM');
    setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
  }

  private async runNow(job: CheckJob, signal?: AbortSignal): Promise<FileResult> {
    signal?.throwIfAborted();
    const line = new Promise<string | undefined>((resolve) => (this.waiting = resolve));
    const timer = setTimeout(() => this.stop(`did not finish within ${this.timeoutMs / 1000} s`), this.timeoutMs);
    const onAbort = () => this.stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (this.child.exitCode === null && !this.why) this.child.stdin.write(JSON.stringify(job) + '\n');
    else this.waiting?.(undefined);
    const got = await line;
    this.waiting = undefined;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) throw signal.reason;
    if (got !== undefined && !this.why) return JSON.parse(got) as FileResult;
    const code = await this.closed;
    return {
      file: relativeToRoot(this.lesson.checker),
      checks: [],
      errors: [`The checker ${this.why ?? `exited with code ${code} before reporting`}.${this.stderr ? `\n${this.stderr.trim()}` : ''}`],
    };
  }
}
