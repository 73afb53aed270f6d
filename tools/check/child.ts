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

export interface ChildCheckOptions {
  target?: string;
  only?: readonly string[];
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
 * Starts the child now: it loads the checker's tools and waits for a word on its stdin before it
 * checks anything. Watch mode prepares the next check while the learner edits.
 */
export function prepareCheck(lesson: Lesson, options: Omit<ChildCheckOptions, 'signal'> = {}): PreparedCheck {
  const { timeoutMs = 120_000 } = options;
  const args = [
    '--import', TSX_IMPORT, ENTRY, lesson.slug, '--wait',
    ...(options.target ? ['--target', options.target] : []),
    ...(options.only ?? []).flatMap((name) => ['--only', name]),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  child.stdin.on('error', () => {}); // the child may be gone already; its exit says why
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let why: string | undefined;
  // SIGTERM lets the child stop the servers it started; SIGKILL follows if it does not exit.
  const stop = (reason: string) => {
    why ??= reason;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  };
  let started = false;
  return {
    cancel: () => stop('cancelled'),
    async run(signal) {
      if (started) throw new Error('A prepared check runs once.');
      started = true;
      signal?.throwIfAborted();
      const timer = setTimeout(() => stop(`did not finish within ${timeoutMs / 1000} s`), timeoutMs);
      const onAbort = () => stop('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdin.end('go\n');
      const code = await closed;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) throw signal.reason;
      const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
      if (line && !why) return JSON.parse(line.slice(RESULT_PREFIX.length)) as FileResult;
      return {
        file: relativeToRoot(lesson.checker),
        checks: [],
        errors: [`The checker ${why ?? `exited with code ${code} before reporting`}.${stderr ? `\n${stderr.trim()}` : ''}`],
      };
    },
  };
}
