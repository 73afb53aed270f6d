// Starts a lab's or a demo's server the way DESIGN.md says — `node --import tsx server.ts
// --port 0 --host 127.0.0.1` — waits for its ready line, keeps its output, and stops it with its
// whole process group. Every failure reads as advice for the learner.

import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { track, type Scope } from './cleanup.ts';
import { CheckFailure } from './failure.ts';
import { summariseCrash } from './crash.ts';
import { relativeToRoot } from '../course/paths.ts';

export const READY_LINE = /UDP server listening on (.+):(\d+)\s*$/;

/** `--import` takes a URL; resolving tsx here lets servers outside the workbook's tree run too. */
export const TSX_IMPORT = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface StartOptions {
  /** The .ts file to run. */
  file: string;
  /** Extra arguments after `--port P --host H`. */
  args?: readonly string[];
  host?: string;
  /** 0 (the default) lets the OS choose; the ready line tells the real port. null passes no --port: the server's own default. */
  port?: number | null;
  /** How long to wait for the ready line. Start-up takes about half a second; the rest is slack for busy machines. */
  readyTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** 'test' (default): stopped after the current test; 'file': shared by a file's tests. */
  scope?: Scope;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const LOG_LIMIT = 500;

export class ServerProcess {
  readonly file: string;
  readonly child: ChildProcess;
  host = '';
  port = 0;
  /** stdout and stderr lines, interleaved in arrival order (the last LOG_LIMIT). */
  readonly log: string[] = [];
  readonly stderr: string[] = [];
  /** How many lines it has printed so far, all told (`log` keeps only the last LOG_LIMIT): a mark for `linesSince`. */
  printed = 0;
  exit: ExitInfo | undefined;
  /** Requests in a row that got no reply (see exchange.ts). */
  unanswered = 0;
  readonly exited: Promise<ExitInfo>;
  /** Resolves once the process has exited and its stdout and stderr have ended: all its output is in `log`. */
  readonly closed: Promise<ExitInfo>;
  readonly stop: () => Promise<void>;
  private lineListeners = new Set<(line: string) => void>();

  constructor(file: string, child: ChildProcess, scope: Scope = 'test') {
    this.file = file;
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    this.closed = new Promise((resolve) => {
      child.once('close', (code, signal) => resolve(this.exit ?? { code, signal }));
    });
    child.once('error', () => {}); // spawn failures surface as an early exit
    this.collect(child.stdout, false);
    this.collect(child.stderr, true);
    this.stop = track(() => this.kill(), scope);
  }

  get endpoint(): { address: string; port: number } {
    return { address: this.host, port: this.port };
  }

  /** The last `n` log lines, for failure reports. */
  tail(n = 8): string[] {
    return this.log.slice(-n);
  }

  /** The lines printed after `mark` (an earlier value of `printed`), as far as `log` still holds them. */
  linesSince(mark: number): string[] {
    return this.log.slice(Math.max(0, this.log.length - (this.printed - mark)));
  }

  /** Resolves with the first log line (from now or already seen) that matches, or undefined after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number, since = 0): Promise<string | undefined> {
    const seen = this.log.slice(since).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const done = (line: string | undefined) => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        resolve(line);
      };
      const listener = (line: string) => pattern.test(line) && done(line);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.lineListeners.add(listener);
      void this.exited.then(() => setImmediate(() => done(undefined)));
    });
  }

  /** Calls `listener` with every log line from now on; returns a function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Sends a signal to the server itself (not its group), e.g. SIGINT to test graceful shutdown. */
  signal(sig: NodeJS.Signals): void {
    if (this.exit === undefined) this.child.kill(sig);
  }

  /** Resolves with the exit, or undefined if the server is still running after `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<ExitInfo | undefined> {
    return within(this.exited, timeoutMs);
  }

  /**
   * Like waitForExit, but also waits for the last of its output (which can arrive after the exit
   * itself), so that `log` and `stderr` are complete.
   */
  waitForClose(timeoutMs: number): Promise<ExitInfo | undefined> {
    return within(this.closed, timeoutMs);
  }

  /** "your server exited with code 1" plus the useful part of its stderr, when it has exited. */
  crashReport(): { summary: string; log: string[]; hint?: string } | undefined {
    if (this.exit === undefined) return undefined;
    const how = this.exit.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
    const crash = summariseCrash(this.stderr);
    return {
      summary: `Your server ${how} (${relativeToRoot(this.file)}).`,
      log: crash.lines.length > 0 ? crash.lines.slice(-12) : this.tail(),
      hint: crash.hint,
    };
  }

  private collect(stream: NodeJS.ReadableStream | null, isErr: boolean): void {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.addLine(line.replace(/\r$/, ''), isErr);
    });
    stream.on('end', () => partial && this.addLine(partial, isErr));
  }

  private addLine(line: string, isErr: boolean): void {
    this.printed++;
    this.log.push(line);
    if (this.log.length > LOG_LIMIT) this.log.shift();
    if (isErr) {
      this.stderr.push(line);
      if (this.stderr.length > LOG_LIMIT) this.stderr.shift();
    }
    for (const listener of this.lineListeners) listener(line);
  }

  private async kill(): Promise<void> {
    if (this.exit !== undefined) return;
    const pid = this.child.pid;
    const send = (sig: NodeJS.Signals) => {
      try {
        // The server runs in its own process group: signal the group, so that anything it
        // started goes too.
        if (pid !== undefined) process.kill(-pid, sig);
      } catch {
        this.child.kill(sig);
      }
    };
    send('SIGTERM');
    if ((await this.waitForExit(1000)) === undefined) {
      send('SIGKILL');
      await this.waitForExit(1000);
    }
  }
}

/** The promise's value, or undefined if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  const result = await Promise.race([promise, timeout]);
  clearTimeout(timer);
  return result;
}

/**
 * Starts the server process without waiting for its ready line, for checks of a server that is
 * expected to stop by itself (a port already in use, say): await `waitForClose` and read its
 * output. Throws a CheckFailure if the file is missing.
 */
export function spawnServer(options: StartOptions): ServerProcess {
  const { file, host = '127.0.0.1', port = 0 } = options;
  if (!existsSync(file)) {
    throw new CheckFailure({
      summary: `There is no ${relativeToRoot(file)}.`,
      hint: 'Restore the starter with `npm start -- reset NN` (your current files are backed up first).',
    });
  }
  const child = spawn(
    process.execPath,
    ['--import', TSX_IMPORT, file, ...(port === null ? [] : ['--port', String(port)]), '--host', host, ...(options.args ?? [])],
    {
      cwd: path.dirname(file),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    },
  );
  return new ServerProcess(file, child, options.scope);
}

/**
 * Starts the server and resolves once it has printed `UDP server listening on HOST:PORT`.
 * Throws a CheckFailure (after cleaning up) if the file is missing, the server exits first,
 * or the line does not come in time.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const { host = '127.0.0.1', readyTimeoutMs = 10_000 } = options;
  const server = spawnServer(options);
  const ready = await server.waitForLine(READY_LINE, readyTimeoutMs);
  const m = ready === undefined ? null : READY_LINE.exec(ready);
  if (m) {
    server.host = m[1]!.replace(/^\[|\]$/g, '');
    server.port = Number(m[2]);
    return server;
  }
  const crash = server.crashReport();
  await server.stop();
  if (crash) {
    throw new CheckFailure({
      summary: `${crash.summary} It should have printed "UDP server listening on HOST:PORT" and kept running.`,
      log: crash.log,
      hint: crash.hint ?? 'Read the last lines above: they show why it stopped.',
    });
  }
  throw new CheckFailure({
    summary: `Your server did not print its ready line within ${readyTimeoutMs / 1000} s.`,
    expected: `a line "UDP server listening on ${host}:<port>" on stdout, with the real port, once bound`,
    got: server.log.length === 0 ? 'no output at all' : 'other output (below), but not that line',
    log: server.tail(),
    hint: "Print it in the 'listening' handler (or the bind callback), using socket.address().port: with --port 0 the OS chooses the port.",
  });
}
