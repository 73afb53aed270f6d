// Starts a lab's or a demo's server the way DESIGN.md says — `node --import tsx server.ts
// --port 0 --host 127.0.0.1` — waits for its ready line, keeps its output, and stops it with its
// whole process group. Every failure reads as advice for the learner.

import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { track, type Scope } from './cleanup.ts';
import { CheckFailure } from './failure.ts';
import { summariseCrash } from './crash.ts';
import { foreignServer, resetHint } from './target.ts';
import { relativeToRoot } from '../course/paths.ts';
import { spawnGuarded, stopGroup } from '../proc/guard.ts';
import { MIRROR_ARGS, mirrorProgram } from '../proc/mirror.ts';
import { warm } from '../proc/ts-compile.mjs';

export const READY_LINE = /UDP server listening on (.+):(\d+)\s*$/;

/**
 * A port that is free on `host` now, for a server to be asked to bind. It is picked below the
 * range the kernel hands out to sockets that bind port 0 (32768 and up on Linux), so that the
 * checker's own clients, opened meanwhile, cannot take it first.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => resolve(true));
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    if (ok || attempt >= 50) return port;
  }
}

/** `--import` takes a URL; resolving tsx here lets servers outside the workbook's tree run too. */
export const TSX_IMPORT = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * How the workbook starts the TypeScript processes it runs: its own loader (tools/proc/), which
 * does what tsx does for these files at a third of the start-up cost. Learners run theirs with tsx.
 */
export const TS_IMPORT = new URL('../proc/ts-loader.mjs', import.meta.url).href;

export interface StartOptions {
  /** The .ts file to run. */
  file: string;
  /** Extra arguments after `--port P --host H`. */
  args?: readonly string[];
  /** The address to ask for (default 127.0.0.1); null passes no --host (the server's own default). */
  host?: string | null;
  /**
   * The port to ask for. By default a free one that the checker picks (freePort), and the ready
   * line must name it; 0 lets the OS choose; null passes no --port (the server's own default).
   */
  port?: number | null;
  /**
   * The file is the checker's own, and what it imports at run time is a compiled copy: run it from
   * its copy too (tools/proc/mirror.ts, `trusted`).
   */
  trusted?: boolean;
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
  /** How it was started, for messages: `labs/02-basic-server/server.ts`, or the --server command. */
  readonly shownAs: string;
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

  constructor(file: string, child: ChildProcess, scope: Scope = 'test', shownAs = relativeToRoot(file)) {
    this.file = file;
    this.child = child;
    this.shownAs = shownAs;
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

  /** The last `n` log lines, for failure reports, each cut to a few lines' worth. */
  tail(n = 8): string[] {
    return this.log.slice(-n).map((line) => reportLine(line));
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

  /** Its CPU time so far, in clock ticks, and whether it is running (Linux); undefined elsewhere. */
  cpu(): { ticks: number; busy: boolean } | undefined {
    return this.exit === undefined ? cpuTime(this.child.pid) : undefined;
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
      summary: `Your server ${how} (${this.shownAs}).`,
      log: crash.lines.length > 0 ? crash.lines.slice(-12).map((line) => reportLine(line)) : this.tail(),
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
    // The server runs in its own process group: the whole group goes, so that anything it
    // started goes too.
    await stopGroup(this.child, 1000);
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
export function spawnServer(options: StartOptions, copy?: string): ServerProcess {
  const { file, host = '127.0.0.1', port = 0 } = options;
  const portArgs = port === null ? [] : ['--port', String(port)];
  const hostArgs = host === null ? [] : ['--host', host];
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env };
  const command = foreignServer(file);
  if (command !== undefined) {
    // Another language's server (`check NN --server CMD`): the command, with the same arguments.
    const child = spawnGuarded('/bin/sh', ['-c', `exec ${command} "$@"`, 'server', ...portArgs, ...hostArgs, ...(options.args ?? [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    return new ServerProcess(file, child, options.scope, command);
  }
  if (!existsSync(file)) {
    throw new CheckFailure({ summary: `There is no ${relativeToRoot(file)}.`, hint: resetHint(file) });
  }
  // `copy`: the program compiled by mirrorProgram, which runs without the loader.
  const program = copy === undefined ? ['--import', TS_IMPORT, file] : [...MIRROR_ARGS, copy];
  const child = spawnGuarded(process.execPath, [...program, ...portArgs, ...hostArgs, ...(options.args ?? [])], {
    cwd: path.dirname(file),
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  return new ServerProcess(file, child, options.scope);
}

/**
 * The file's compiled copy (tools/proc/mirror.ts), or undefined: it runs with the loader. A lab
 * module's copy is for a checker's own program that imports it, started with `trusted`.
 */
export function compiledCopy(file: string, trusted = false): Promise<string | undefined> {
  return foreignServer(file) === undefined ? mirrorProgram(file, { trusted }) : Promise.resolve(undefined);
}

/**
 * spawnServer, from the server's compiled copy when it has one (tools/proc/mirror.ts): a start
 * that costs less, where many start at once.
 */
export async function spawnCompiled(options: StartOptions): Promise<ServerProcess> {
  return spawnServer(options, await compiledCopy(options.file, options.trusted));
}

/**
 * Starts the server and resolves once it has printed `UDP server listening on HOST:PORT` with the
 * port it was asked for. Throws a CheckFailure (after cleaning up) if the file is missing, the
 * server exits first, binds another port, or the line does not come: within `readyTimeoutMs`, or
 * sooner, on Linux, once the server sits idle without having printed it.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const { host = '127.0.0.1', readyTimeoutMs = 10_000 } = options;
  const chosen = options.port === undefined;
  const hostArg = host === null ? '' : ` --host ${host}`;
  for (let attempt = 1; ; attempt++) {
    const port = chosen ? await freePort(host ?? '127.0.0.1') : options.port;
    // Compiled here, the server's TypeScript is ready when it starts: the process itself need
    // not load the compiler (a cold cache, on a busy machine, is where starts are slow), and
    // most programs need not even load the loader (tools/proc/mirror.ts).
    const copy = await compiledCopy(options.file, options.trusted);
    if (copy === undefined && attempt === 1 && foreignServer(options.file) === undefined) await warmFolder(options.file);
    const server = spawnServer({ ...options, port }, copy);
    const ready = await waitForReady(server, readyTimeoutMs);
    const m = ready.line === undefined ? null : READY_LINE.exec(ready.line);
    if (m) {
      server.host = m[1]!.replace(/^\[|\]$/g, '');
      server.port = Number(m[2]);
      if (typeof port === 'number' && port !== 0 && server.port !== port) {
        await server.stop();
        throw new CheckFailure({
          summary: `You were asked for port ${port} and bound ${server.port}.`,
          sent: `${server.shownAs} --port ${port}${hostArg}`,
          expected: `UDP server listening on ${host ?? server.host}:${port}`,
          got: ready.line,
          log: server.tail(),
          hint: `Read the port from the --port option (parseArgs) and bind that, instead of a port of your own: whoever starts a server chooses its port.`,
        });
      }
      return server;
    }
    const crash = server.crashReport();
    const bound = boundPorts(server.child.pid);
    await server.stop();
    // Something else took the port the checker picked in the moment between: try another one.
    // (A server may say so in its own words: "Port 23839 on 127.0.0.1 is already in use".)
    if (crash && chosen && attempt < 3 && server.log.some((line) => /EADDRINUSE|\bin use\b/i.test(line))) continue;
    if (crash) {
      throw new CheckFailure({
        summary: `${crash.summary} It should have printed "UDP server listening on HOST:PORT" and kept running.`,
        log: crash.log,
        hint: crash.hint ?? 'Read the last lines above: they show why it stopped.',
      });
    }
    const expected = `a line "UDP server listening on ${host ?? '<host>'}:${port ?? '<port>'}" on stdout, once bound`;
    const got = server.log.length === 0 ? 'no output at all' : 'other output (below), but not that line';
    const asked = typeof port === 'number' && port !== 0 ? port : undefined;
    throw new CheckFailure({
      summary: ready.idle
        ? `Your server printed no ready line, and has been idle for ${IDLE_MS / 1000} s after starting${bound.length > 0 ? ` (it is bound to port ${bound.join(', ')})` : ''}.`
        : `Your server did not print its ready line within ${readyTimeoutMs / 1000} s.`,
      expected,
      got,
      log: server.tail(),
      hint:
        asked !== undefined && bound.length > 0 && !bound.includes(asked)
          ? `It was asked for port ${asked} and bound ${bound.join(', ')}: bind the port that --port names.`
          : "Print it in the 'listening' handler (or the bind callback), using socket.address().port, which is the port really bound.",
    });
  }
}

/** Fills the TypeScript cache with the .ts files beside `file` (tools/proc/ts-compile.mjs). */
export async function warmFolder(file: string): Promise<void> {
  const dir = path.dirname(file);
  try {
    await warm(readdirSync(dir).filter((n) => n.endsWith('.ts')).map((n) => path.join(dir, n)));
  } catch {
    // the process compiles what it needs itself
  }
}

/** How long a server may sit doing nothing, before its ready line, before the wait for it ends. */
const IDLE_MS = 1500;

/** The ready line, or why it did not come: the time ran out, or the server sat idle (Linux). */
async function waitForReady(server: ServerProcess, timeoutMs: number): Promise<{ line?: string; idle?: boolean }> {
  const started = performance.now();
  let last = cpuTime(server.child.pid);
  let quietSince = performance.now();
  for (;;) {
    const left = timeoutMs - (performance.now() - started);
    const line = await server.waitForLine(READY_LINE, Math.max(0, Math.min(250, left)));
    if (line !== undefined) return { line };
    if (server.exit !== undefined) {
      // 'exit' can come before the last of its output has been read: wait for the streams to
      // close (briefly: a process it started may hold them), so that the report shows why.
      await Promise.race([server.closed, new Promise((resolve) => setTimeout(resolve, 500))]);
      return {};
    }
    if (performance.now() - started >= timeoutMs) return {};
    const now = cpuTime(server.child.pid);
    if (now === undefined || last === undefined || now.busy || now.ticks !== last.ticks) quietSince = performance.now();
    else if (performance.now() - quietSince >= IDLE_MS) return { idle: true };
    last = now;
  }
}

/** The process's CPU time so far in clock ticks and whether it is running or waiting to run (Linux's /proc), else undefined. */
function cpuTime(pid: number | undefined): { ticks: number; busy: boolean } | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state (field 3), …, utime (14), stime (15).
    return { busy: fields[0] === 'R' || fields[0] === 'D', ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** The UDP ports a process has bound (Linux's /proc), for messages; empty where that cannot be read. */
export function boundPorts(pid: number | undefined): number[] {
  if (pid === undefined || process.platform !== 'linux') return [];
  try {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const link = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
      if (link) inodes.add(link[1]!);
    }
    const ports = new Set<number>();
    for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
      for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const cols = row.trim().split(/\s+/);
        if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
      }
    }
    return [...ports].sort((a, b) => a - b);
  } catch {
    return [];
  }
}

function safeReadlink(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}

/**
 * A log line as a report shows it: control characters as escapes (a server that logs what it
 * received must not be able to move the learner's cursor or clear the screen), and a server that
 * logs a whole 8 KB datagram gets its start.
 */
export function reportLine(line: string, max = 240): string {
  // eslint-disable-next-line no-control-regex
  const shown = line.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length <= max ? shown : `${shown.slice(0, max - 40)}… (${shown.length - (max - 40)} more characters)`;
}
