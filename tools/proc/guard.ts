// Every process the workbook starts (a learner's server, a probe that calls a learner's function,
// a checker's child process) runs in a process group of its own, guarded: when the process that
// started it ends, however it ends, the group ends too. Ending normally, the starter stops its
// groups itself; for every other way out, SIGKILL included, a sentinel (sentinel.mjs) that the
// starter cannot outlive does it: it holds a pipe from the starter, and the pipe's end is its cue.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SENTINEL = fileURLToPath(new URL('./sentinel.mjs', import.meta.url));
let sentinel: ChildProcess | undefined;

function tell(line: string): void {
  if (!sentinel) {
    sentinel = spawn(process.execPath, [SENTINEL], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    sentinel.on('error', () => {});
    sentinel.stdin!.on('error', () => {});
    // Neither the sentinel nor its pipe keeps this process alive.
    sentinel.unref();
    (sentinel.stdin as unknown as { unref?: () => void }).unref?.();
  }
  sentinel.stdin!.write(`${line}\n`);
}

/** Spawns `command` in a process group of its own, which ends when this process ends. */
export function spawnGuarded(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    tell(`+${pid}`);
    child.once('exit', () => {
      // Whatever the group's leader left behind goes with it (the group cannot be reused while
      // any of it is alive, so this reaches only what it started).
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // nothing left
      }
      tell(`-${pid}`);
    });
  }
  return child;
}

/** Sends `signal` to the child's whole process group (or to the child, if that fails). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** SIGTERM to the group, then SIGKILL if it is still there after `graceMs`; resolves once it has exited. */
export async function stopGroup(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  if ((await Promise.race([exited, late])) === 'late') {
    signalGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  clearTimeout(timer);
}
