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
  const { timeoutMs = 120_000, signal } = options;
  const args = [
    '--import', TSX_IMPORT, ENTRY, lesson.slug,
    ...(options.target ? ['--target', options.target] : []),
    ...(options.only ?? []).flatMap((name) => ['--only', name]),
  ];
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    let why: string | undefined;
    // SIGTERM lets the child stop the servers it started; SIGKILL follows if it does not exit.
    const stop = (reason: string) => {
      why ??= reason;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    };
    const timer = setTimeout(() => stop(`did not finish within ${timeoutMs / 1000} s`), timeoutMs);
    const onAbort = () => stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(signal.reason);
      const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
      if (line && !why) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as FileResult);
      resolve({
        file: relativeToRoot(lesson.checker),
        checks: [],
        errors: [`The checker ${why ?? `exited with code ${code} before reporting`}.${stderr ? `\n${stderr.trim()}` : ''}`],
      });
    });
  });
}
