// Runs a lesson's checker in a child process (tools/bin/check-child.ts) and returns its results.
// The self-test runs several at once this way, and the runner can stop a check that a newer save
// overtakes: aborting the signal, or the time limit, stops the child and every server it started.

import { fileURLToPath } from 'node:url';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot, ROOT } from '../course/paths.ts';
import type { CheckContext } from '../harness/context.ts';
import { TS_IMPORT } from '../harness/server-process.ts';
import { spawnGuarded, stopGroup } from '../proc/guard.ts';
import type { CheckResult, FileResult } from './results.ts';

/** The child prints each check as it is done on a line starting with this, then JSON. */
export const EVENT_PREFIX = '@@workbook-check-event ';
/** The child's last line for a job starts with this, followed by the FileResult as JSON. */
export const RESULT_PREFIX = '@@workbook-check-result ';
const ENTRY = fileURLToPath(new URL('../bin/check-child.ts', import.meta.url));

/** One run of a lesson's checker: what to grade, and optionally only some checks. */
export interface CheckJob {
  context: CheckContext;
  only?: readonly string[];
}

/** What the child reads, one line each: the lesson (its slug) and the job. */
export interface ChildJob extends CheckJob {
  lesson: string;
}

export interface RunJobOptions {
  /** Aborting stops the child; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called as each check starts, with its name. */
  onStart?: (name: string) => void;
  /** Called as each check is done. */
  onCheck?: (check: CheckResult) => void;
}

/** One line after EVENT_PREFIX: a check started, or is done. */
export type CheckEvent = { start: string } | { check: CheckResult };

export interface ChildCheckOptions extends CheckJob, RunJobOptions {
  /** Stop the child after this long and report it (default 120 s). */
  timeoutMs?: number;
}

export function checkInChild(lesson: Lesson, options: ChildCheckOptions): Promise<FileResult> {
  const { signal, onStart, onCheck, ...job } = options;
  return prepareCheck(lesson, job).run({ signal, onStart, onCheck });
}

/** A check whose process is started ahead of time, so that `run` needs no start-up. */
export interface PreparedCheck {
  /** Starts the check (once) and resolves with its results; aborting `signal` stops it. */
  run(options?: RunJobOptions): Promise<FileResult>;
  /** Stops the waiting process without running the check. */
  cancel(): void;
}

/**
 * Starts the child now: it loads the checker's tools and waits for its job. Watch mode prepares
 * the next check while the learner edits.
 */
export function prepareCheck(lesson: Lesson, options: CheckJob & { timeoutMs?: number }): PreparedCheck {
  const worker = new CheckWorker(options.timeoutMs);
  let started = false;
  return {
    cancel: () => worker.stop('cancelled'),
    async run(runOptions) {
      if (started) throw new Error('A prepared check runs once.');
      started = true;
      try {
        return await worker.run(lesson, { context: options.context, only: options.only }, runOptions);
      } finally {
        worker.close();
      }
    },
  };
}

/** A child process that runs checkers, one job after another. */
export class CheckWorker {
  private readonly timeoutMs: number;
  private readonly child;
  private readonly closed: Promise<number | null>;
  private stdout = '';
  private stderr = '';
  private why: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting: ((line: string | undefined) => void) | undefined;
  private events: Omit<RunJobOptions, 'signal'> = {};

  constructor(timeoutMs = 120_000) {
    this.timeoutMs = timeoutMs;
    this.child = spawnGuarded(process.execPath, ['--import', TS_IMPORT, ENTRY], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin!.on('error', () => {}); // the child may be gone already; its exit says why
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      let end: number;
      while ((end = this.stdout.indexOf('\n')) >= 0) {
        const line = this.stdout.slice(0, end);
        this.stdout = this.stdout.slice(end + 1);
        if (line.startsWith(EVENT_PREFIX)) {
          const event = JSON.parse(line.slice(EVENT_PREFIX.length)) as CheckEvent;
          if ('start' in event) this.events.onStart?.(event.start);
          else this.events.onCheck?.(event.check);
        }
        else if (line.startsWith(RESULT_PREFIX)) this.waiting?.(line.slice(RESULT_PREFIX.length));
      }
    });
    this.closed = new Promise((resolve) =>
      this.child.on('close', (code) => {
        this.waiting?.(undefined);
        resolve(code);
      }),
    );
  }

  /** Runs the job after the ones before it; aborting `signal` stops the whole worker. */
  run(lesson: Lesson, job: CheckJob, options: RunJobOptions = {}): Promise<FileResult> {
    const result = this.queue.then(() => this.runNow(lesson, job, options));
    this.queue = result.catch(() => {});
    return result;
  }

  /** No more jobs: the child ends once the last one given is done. */
  close(): void {
    void this.queue.then(() => this.child.stdin!.end());
  }

  /** Stops the child (SIGTERM lets it stop the servers it started; SIGKILL follows). */
  stop(reason: string): void {
    this.why ??= reason;
    void stopGroup(this.child, 3000);
  }

  /** Whether the child has ended (stopped, crashed, or out of time): it takes no more jobs. */
  get ended(): boolean {
    return this.why !== undefined || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private async runNow(lesson: Lesson, job: CheckJob, { signal, ...events }: RunJobOptions): Promise<FileResult> {
    signal?.throwIfAborted();
    const reply = new Promise<string | undefined>((resolve) => (this.waiting = resolve));
    const timer = setTimeout(() => this.stop(`did not finish within ${this.timeoutMs / 1000} s`), this.timeoutMs);
    const onAbort = () => this.stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    this.events = events;
    const line: ChildJob = { lesson: lesson.slug, ...job };
    if (!this.ended) this.child.stdin!.write(JSON.stringify(line) + '\n');
    else this.waiting?.(undefined);
    const got = await reply;
    this.waiting = undefined;
    this.events = {};
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) throw signal.reason;
    if (got !== undefined && !this.why) return JSON.parse(got) as FileResult;
    const code = await this.closed;
    return {
      file: relativeToRoot(lesson.checker),
      checks: [],
      errors: [
        {
          summary: `The checker ${this.why ?? `exited with code ${code} before reporting`}.`,
          unexpected: true,
          ...(this.stderr.trim() ? { stack: this.stderr.trim().split('\n').slice(-12).join('\n') } : {}),
        },
      ],
      runner: 'fast',
    };
  }
}
