// A terminal for tests: an Io whose stdin is typed into and whose stdout is read back, both
// claiming to be TTYs, so that inquirer's prompts run as they would for a learner.

import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { interruptClaims, type Io } from '../../../tools/term/io.ts';
import { ROOT } from '../../../tools/course/paths.ts';

export const KEY = { up: '\x1b[A', down: '\x1b[B', enter: '\r', ctrlC: '\x03' } as const;

export interface FakeTerminal {
  io: Io;
  controller: AbortController;
  /** Everything written so far, escape sequences removed. */
  screen(): string;
  type(keys: string): void;
  /** Resolves once `text` has been written after the last call to `mark()`; fails after `ms`. */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  /** Forgets the output so far, for waitFor. */
  mark(): void;
  /** Ctrl+C as the terminal sends it outside raw mode (SIGINT): what the workbook's entry point does. */
  interrupt(): void;
}

export function fakeTerminal(env: NodeJS.ProcessEnv = {}, size = { columns: 80, rows: 24 }): FakeTerminal {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
  // Like process.stdout, it is never ended: inquirer ends the stream it pipes into it after each prompt.
  const stdout = Object.assign(new PassThrough(), { isTTY: true, ...size });
  stdout.end = (() => stdout) as typeof stdout.end;
  let all = '';
  let from = 0;
  const waiters = new Set<() => void>();
  stdout.on('data', (chunk: Buffer) => {
    all += chunk.toString('utf8');
    for (const w of waiters) w();
  });
  const stderr = new PassThrough();
  stderr.on('data', (chunk: Buffer) => (all += chunk.toString('utf8')));
  const controller = new AbortController();
  const claims = interruptClaims(controller.signal);
  const io: Io = { stdin, stdout, stderr, env, root: ROOT, interactive: true, color: false, signal: controller.signal, claimInterrupt: claims.claim };
  const screen = () => stripVTControlCharacters(all);
  return {
    io,
    controller,
    screen,
    type: (keys) => void stdin.write(keys),
    mark: () => void (from = screen().length),
    interrupt: () => {
      if (!claims.interrupt()) controller.abort();
    },
    waitFor(text, ms = 5000) {
      const seen = () => {
        const s = screen().slice(from);
        return typeof text === 'string' ? s.includes(text) : text.test(s);
      };
      return new Promise((resolve, reject) => {
        if (seen()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`"${String(text)}" did not appear within ${ms} ms. The screen:\n${screen().slice(-1500)}`));
        }, ms);
        const check = () => {
          if (!seen()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
  };
}
