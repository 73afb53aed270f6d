// What the "nothing left running" tests share (check.test.ts, demo.test.ts, watch.test.ts): after
// SIGINT, SIGTERM, SIGHUP or SIGKILL of the workbook, during a check (whose lab server is stuck in
// an endless loop), during the demo, and during a check in watch mode, every process the workbook
// started is gone a few seconds later. The processes are found as the workbook's descendants while
// it runs, and each must be gone within 5 s of the signal. Three files, so that vitest runs them
// side by side: each test mostly waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from '../../../tools/course/paths.ts';
import { TS_IMPORT } from '../../../tools/harness/index.ts';

const WORKBOOK = path.join(ROOT, 'tools', 'bin', 'workbook.ts');
const dirs: string[] = [];
const started: ChildProcess[] = [];
/** For each file's afterAll: ends what a failed test left, removes the copies. */
export function cleanUp(): void {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of the labs whose lab 02 server answers its first datagram with an endless loop. */
export function stuckLabs(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'processes-'));
  dirs.push(dir);
  cpSync(path.join(ROOT, 'solutions'), path.join(dir, 'labs'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const server = path.join(dir, 'labs', '02-basic-server', 'server.ts');
  writeFileSync(server, readFileSync(server, 'utf8').replace("socket.on('message', (msg, rinfo) => {", "socket.on('message', (msg, rinfo) => {\n  for (;;) {}"));
  return dir;
}

/** Pids of `pid`'s descendants now (Linux's /proc), with their command lines. */
export function descendants(pid: number): Map<number, string> {
  const children = new Map<number, number[]>();
  const args = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      args.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // gone meanwhile
    }
  }
  const found = new Map<number, string>();
  const visit = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.set(child, args.get(child) ?? '');
      visit(child);
    }
  };
  visit(pid);
  return found;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time of a process so far, in clock ticks; undefined once it is gone. */
const cpuTicks = (pid: number): number | undefined => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
};

/**
 * Waits until one of the workbook's processes whose command line matches `pattern` has spent
 * `ticks` of CPU (a spinning server has). There may be several copies of the lab's server for a
 * moment (a check starts one of its own), and some end: the one that spins is the one stuck.
 */
export async function waitSpinning(workbook: number, pattern: RegExp, ticks = 30, ms = 40_000): Promise<number> {
  const from = new Map<number, number>();
  for (const deadline = performance.now() + ms; performance.now() < deadline; await sleep(100)) {
    for (const [pid, args] of descendants(workbook)) {
      if (!pattern.test(args)) continue;
      const now = cpuTicks(pid);
      if (now === undefined) continue;
      if (!from.has(pid)) from.set(pid, now);
      else if (now - from.get(pid)! >= ticks) return pid;
    }
  }
  throw new Error(`no process matching ${pattern} spun within ${ms / 1000} s`);
}

/**
 * Waits until the workbook has started processes whose command lines match every pattern.
 * `poll`, if given, runs between two looks (watch's test presses r there when a check it meant
 * to catch ended before a look found it: on a busy machine, a look can come late).
 */
export async function waitFor(pid: number, patterns: RegExp[], ms = 40_000, output?: ChildProcess, poll?: () => void): Promise<Map<number, string>> {
  for (const deadline = performance.now() + ms; performance.now() < deadline; await sleep(100)) {
    const now = descendants(pid);
    if (patterns.every((p) => [...now.values()].some((a) => p.test(a)))) return now;
    poll?.();
  }
  const printed = (output as (ChildProcess & { output?: () => string }) | undefined)?.output?.();
  throw new Error(`the workbook did not start ${patterns.join(', ')} within ${ms / 1000} s; it runs: ${[...descendants(pid).values()].join(' | ') || 'nothing'}${printed === undefined ? '' : `; it printed: ${printed.slice(-2000)}`}`);
}

/** Sends `signal`, then expects every process in `seen` gone within 5 s. */
export async function expectAllGone(workbook: ChildProcess, signal: NodeJS.Signals, seen: Map<number, string>): Promise<void> {
  workbook.kill(signal);
  const deadline = performance.now() + 5000;
  let left = [...seen.keys()].filter(alive);
  while (left.length > 0 && performance.now() < deadline) {
    await sleep(100);
    left = left.filter(alive);
  }
  expect(left.map((pid) => `${pid} ${seen.get(pid)}`), `still running 5 s after ${signal}`).toEqual([]);
}

export function start(args: string[], dir: string, terminal = false): ChildProcess & { output: () => string } {
  const env = { ...process.env, WORKBOOK_TARGET: path.join(dir, 'labs'), WORKBOOK_STATE_DIR: path.join(dir, 'state'), CI: '', NO_COLOR: '1' };
  const command = [process.execPath, '--import', TS_IMPORT, WORKBOOK, ...args];
  // watch needs a terminal: python's pty gives it one.
  const child = terminal
    ? spawn('python3', ['-c', 'import pty, sys; pty.spawn(sys.argv[1:])', ...command], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.resume();
  started.push(child);
  return Object.assign(child, { output: () => output });
}

/** Waits until the workbook has printed a line matching `pattern`. */
export async function waitForOutput(child: ChildProcess, pattern: RegExp, ms = 40_000): Promise<void> {
  const output = (child as ChildProcess & { output: () => string }).output;
  for (const deadline = performance.now() + ms; performance.now() < deadline; await sleep(50)) if (pattern.test(output())) return;
  throw new Error(`the workbook did not print ${pattern} within ${ms / 1000} s: ${output()}`);
}

/** The workbook's own process: the child itself, or the node under python's pty. */
export async function workbookOf(child: ChildProcess, terminal: boolean): Promise<ChildProcess> {
  if (!terminal) return child;
  const found = await waitFor(child.pid!, [/workbook\.ts/]);
  const pid = [...found].find(([, a]) => /workbook\.ts/.test(a))![0];
  return { pid, kill: (signal: NodeJS.Signals) => process.kill(pid, signal) } as unknown as ChildProcess;
}

export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const;
