// A program run in a real pseudo-terminal (util-linux `script`), for the benchmarks of what a
// learner sees: how long until a text appears on the screen.

import { spawn, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

export interface Terminal {
  child: ChildProcess;
  /** performance.now() when the program was started. */
  startedAt: number;
  /** Resolves with performance.now() when `text` appears (after what earlier waits found). */
  waitFor(text: string, timeoutMs?: number): Promise<number>;
  type(keys: string): void;
  close(): Promise<void>;
}

export function inTerminal(command: string, env: NodeJS.ProcessEnv, cwd: string): Terminal {
  const started = performance.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'], detached: true });
  let screen = '';
  let from = 0;
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    screen += stripVTControlCharacters(d.toString('utf8'));
    for (const w of waiters) w();
  });
  return {
    child,
    startedAt: started,
    waitFor(text, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = screen.indexOf(text, from);
          if (at < 0) return;
          from = at + text.length;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(performance.now());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`"${text}" did not appear within ${timeoutMs} ms:\n${screen.slice(-1500)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    type: (keys) => void child.stdin!.write(keys),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      }),
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
