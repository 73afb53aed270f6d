// The workbook's entry point (`npm start -- ...`): the only file that reads process.argv,
// the real streams and the environment, and sets the exit code.

import { main } from '../cli/main.ts';
import type { Io } from '../term/io.ts';
import { ROOT } from '../course/paths.ts';
import { cleanupAll } from '../harness/cleanup.ts';

const { stdin, stdout, stderr, env } = process;
const controller = new AbortController();
// Ctrl+C (or SIGTERM) first asks the running command to stop, through io.signal. A command that
// has no way to stop half-way (a check running) is ended a moment later, after the servers it
// started are stopped: they run in process groups of their own, which the terminal's Ctrl+C
// does not reach.
const GRACE_MS = 1000;
const interrupt = () => {
  controller.abort();
  setTimeout(() => void cleanupAll().finally(() => process.exit(130)), GRACE_MS).unref();
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

// Output piped into a program that stops reading early (`| head`) is not an error of the workbook.
for (const stream of [stdout, stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}

const color = env.NO_COLOR ? false : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true : Boolean(stdout.isTTY);
const io: Io = {
  stdin,
  stdout,
  stderr,
  env,
  root: ROOT,
  interactive: Boolean(stdin.isTTY && stdout.isTTY) && !env.CI,
  color,
  signal: controller.signal,
};

try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (err) {
  // A bug in the workbook, not in the learner's lab: keep the stack, it is needed to fix it.
  console.error(err);
  process.exitCode = 70;
} finally {
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
}
