// The workbook's entry point (`npm start -- ...`): the only file that reads process.argv,
// the real streams and the environment, and sets the exit code.

import { main } from '../cli/main.ts';
import { interruptClaims, type Io } from '../term/io.ts';
import { ROOT } from '../course/paths.ts';
import { cleanupAll } from '../harness/cleanup.ts';

const { stdin, stdout, stderr, env } = process;
const quit = new AbortController();
const claims = interruptClaims(quit.signal);

// Every way out stops what the workbook started. A signal first asks the running command to stop,
// through io.signal; a command that cannot stop half-way is ended a moment later, once the servers
// it started are stopped (they run in process groups of their own, which neither the terminal's
// Ctrl+C nor its closing reaches). Whatever is still running when this process ends, however it
// ends — SIGKILL included — is ended by the sentinel of tools/proc/guard.ts.
const GRACE_MS = 1000;
let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  quit.abort();
  setTimeout(() => void cleanupAll().finally(() => process.exit(code)), GRACE_MS).unref();
};
// Ctrl+C stops the action that claimed it (a check run from the menu: back to the lesson menu);
// otherwise, or pressed again, the workbook.
const onInterrupt = () => {
  if (!claims.interrupt()) stop(130);
};
process.on('SIGINT', onInterrupt);
process.once('SIGTERM', () => stop(143));
// The terminal was closed: nobody is left to read anything.
process.once('SIGHUP', () => stop(129));

// Output piped into a program that stops reading early (`| head`), or to a terminal that has been
// closed, is not an error of the workbook.
for (const stream of [stdout, stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
    void cleanupAll().finally(() => process.exit(process.exitCode ?? 0));
  });
}

const color = env.NO_COLOR ? false : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true : Boolean(stdout.isTTY);
const io: Io = {
  stdin,
  stdout,
  stderr,
  env,
  root: ROOT,
  cwd: env.INIT_CWD || process.cwd(),
  interactive: Boolean(stdin.isTTY && stdout.isTTY) && !env.CI,
  color,
  signal: quit.signal,
  claimInterrupt: claims.claim,
};

try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (err) {
  // A bug in the workbook, not in the learner's lab: keep the stack, it is needed to fix it.
  console.error(err);
  process.exitCode = 70;
} finally {
  process.off('SIGINT', onInterrupt);
  await cleanupAll();
  // The command is done: nothing it left open (a timer, a socket) may keep the workbook running.
  setTimeout(() => process.exit(), 200).unref();
}
