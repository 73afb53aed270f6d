// Runs the workbook's command line in this process with a fake, non-terminal Io (a pipe, as in
// CI) and returns what it printed. For tests of commands.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { interruptClaims, type Io } from '../../tools/term/io.ts';
import { main } from '../../tools/cli/main.ts';
import { ROOT } from '../../tools/course/paths.ts';
import { displayWidth } from '../../tools/render/index.ts';
import { TS_IMPORT } from '../../tools/harness/server-process.ts';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Claims a terminal this wide on stdout (still not interactive). */
  columns?: number;
  color?: boolean;
}

export async function runMain(args: string[], { env = {}, columns, color = false }: RunOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => into.push(d.toString()));
    return s;
  };
  const stdout = Object.assign(stream(out), { columns, isTTY: columns !== undefined });
  const io: Io = { stdout, stderr: stream(err), stdin: new PassThrough(), env, root: ROOT, interactive: false, color, signal: new AbortController().signal, claimInterrupt: interruptClaims(new AbortController().signal).claim };
  const code = await main(args, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** The widest line, in terminal columns, escape sequences not counted. */
export const widest = (text: string) => Math.max(0, ...text.split('\n').map((l) => displayWidth(stripVTControlCharacters(l))));

/**
 * Runs `node --import tsx tools/bin/workbook.ts ARGS` in a child process (not a terminal), for
 * commands that must run as they do for a learner: `check` loads checkers in its own process.
 */
export function runWorkbook(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', TS_IMPORT, path.join(ROOT, 'tools', 'bin', 'workbook.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
