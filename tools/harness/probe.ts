// A lab's functions, called in a process of their own (probe-child.ts): the learner's code never
// runs in the checker's process, so an endless loop, a socket left open or a crash belongs to the
// probe, which the checker stops under a time limit, and reports in the learner's terms ("your
// request() did not return within 3 s"). One probe serves a checker file's calls in turn; one that
// had to be stopped is started afresh for the next call.

import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relativeToRoot } from '../course/paths.ts';
import { spawnGuarded, stopGroup } from '../proc/guard.ts';
import { track, type Scope } from './cleanup.ts';
import { checkContext } from './context.ts';
import { summariseCrash } from './crash.ts';
import { CheckFailure } from './failure.ts';
import { decode, encode } from './probe-child.ts';
import { TS_IMPORT, warmFolder } from './server-process.ts';
import { labPath, resetHint } from './target.ts';

const CHILD = fileURLToPath(new URL('./probe-child.ts', import.meta.url));

export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
}

/** How a call went. `open` lists what it left running (Node's resource names: "UDPWrap", "Timeout"…). */
export type ProbeOutcome =
  | { settled: 'resolved'; value: unknown; ms: number; open: string[] }
  | { settled: 'rejected'; error: ErrorInfo; ms: number; open: string[] }
  /** Not settled within the time allowed, the probe still responsive: a promise that never settles. */
  | { settled: 'pending'; ms: number }
  /** The probe stopped responding: the learner's code blocks its event loop (an endless loop). */
  | { settled: 'blocked'; ms: number }
  /** The probe's process ended: an exception nobody caught, or process.exit. */
  | { settled: 'crashed'; ms: number; error?: ErrorInfo; exitCode: number | null; stderr: string[] };

export interface CallOptions {
  /** How long the call may take before it counts as not returning. */
  timeoutMs: number;
  /** How long after it settles to look at what it left open (default 0: at once). */
  openAfterMs?: number;
}

/** The skip that a check calling the learner's TypeScript takes when the server is another language's. */
export interface SkipContext {
  skip: (note?: string) => void;
}

export function skipUnlessLabCode(ctx: SkipContext, what: string): void {
  if (checkContext().server) ctx.skip(`it calls ${what} directly, which needs the lab's TypeScript; a server given with --server is checked through the network only`);
}

export class LabProbe {
  readonly file: string;
  private readonly driver: string | undefined;
  private child: ChildProcess | undefined;
  private buffered = '';
  private stderr: string[] = [];
  private next = 1;
  private readonly waiting = new Map<number, (message: Record<string, unknown>) => void>();
  private crash: Record<string, unknown> | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when a process has just started: its first call also waits for it to load the lab. */
  private fresh = false;

  /** A probe for `file`, optionally through a driver; see labProbe. */
  constructor(file: string, options: { driver?: string | URL; scope?: Scope } = {}) {
    this.file = file;
    this.driver = options.driver instanceof URL ? fileURLToPath(options.driver) : options.driver;
    track(() => this.stop(), options.scope ?? 'test');
  }

  /** Calls `name` (on the driver if there is one, else on the lab's module) with `args`. */
  call(name: string, args: unknown[], options: CallOptions): Promise<ProbeOutcome> {
    const result = this.queue.then(() => this.callNow(name, args, options));
    this.queue = result.catch(() => {});
    return result;
  }

  /** Stops the probe's process (it is started again by the next call). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) await stopGroup(child, 500);
  }

  private start(): ChildProcess {
    if (!existsSync(this.file)) throw new CheckFailure({ summary: `There is no ${relativeToRoot(this.file)}.`, hint: resetHint(this.file) });
    const child = spawnGuarded(process.execPath, ['--import', TS_IMPORT, CHILD, this.file, ...(this.driver ? [this.driver] : [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    this.buffered = '';
    this.stderr = [];
    this.crash = undefined;
    child.stdin!.on('error', () => {});
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffered += chunk;
      let end: number;
      while ((end = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 1);
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // the learner's own console.log
        }
        if ('crashed' in message) this.crash = message;
        const wake = typeof message.id === 'number' ? this.waiting.get(message.id) : undefined;
        wake?.(message);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr.push(...chunk.split('\n').filter(Boolean));
      this.stderr = this.stderr.slice(-50);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
        for (const wake of this.waiting.values()) wake({ exited: true });
      }),
    );
    this.child = child;
    this.fresh = true;
    return child;
  }

  private ask(child: ChildProcess, message: object, ms: number): Promise<Record<string, unknown> | undefined> {
    const id = this.next++;
    return new Promise((resolve) => {
      const done = (reply: Record<string, unknown> | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply);
      };
      const timer = setTimeout(() => done(undefined), ms);
      this.waiting.set(id, done);
      child.stdin!.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  }

  private async callNow(name: string, args: unknown[], options: CallOptions): Promise<ProbeOutcome> {
    if (!this.child || this.child.exitCode !== null) await warmFolder(this.file);
    const child = this.child && this.child.exitCode === null ? this.child : this.start();
    const started = performance.now();
    const openAfterMs = options.openAfterMs ?? 0;
    // The first call also waits for the process to start and the lab to load.
    const startup = this.fresh ? 10_000 : 0;
    this.fresh = false;
    const reply = await this.ask(child, { call: name, args: encode(args), openAfterMs }, options.timeoutMs + openAfterMs + startup);
    const ms = Math.round(performance.now() - started);
    if (reply && 'settled' in reply) {
      const open = (reply.open as string[] | undefined) ?? [];
      return reply.settled === 'resolved'
        ? { settled: 'resolved', value: decode(reply.value), ms: reply.ms as number, open }
        : { settled: 'rejected', error: reply.error as ErrorInfo, ms: reply.ms as number, open };
    }
    if (reply && 'loadError' in reply) throw this.loadFailure(reply);
    if (reply && 'missing' in reply) {
      throw new CheckFailure({
        summary: `${relativeToRoot(this.file)} does not export a function named ${String(reply.missing)}.`,
        hint: "Keep the starter's exported functions, with their names and parameters: the checker calls them.",
      });
    }
    if (reply === undefined && child.exitCode === null) {
      // No answer in time: a promise that never settles, or an event loop that is stuck?
      const pong = await this.ask(child, { ping: true }, 500);
      await this.stop();
      return pong && 'pong' in pong ? { settled: 'pending', ms } : { settled: 'blocked', ms };
    }
    const exitCode = await this.exited;
    const crash = this.crash;
    this.child = undefined;
    return {
      settled: 'crashed',
      ms,
      exitCode: crash ? null : exitCode,
      stderr: summariseCrash(crash ? String(crash.stack ?? '').split('\n') : this.stderr).lines.slice(0, 8),
      ...(crash ? { error: crash.crashed as ErrorInfo } : {}),
    };
  }

  private loadFailure(reply: Record<string, unknown>): CheckFailure {
    const crash = summariseCrash(String(reply.stack ?? '').split('\n'));
    const error = reply.loadError as ErrorInfo;
    return new CheckFailure({
      summary: `${relativeToRoot(this.file)} could not be loaded.`,
      got: (crash.location ? crash.lines : [`${error.name}: ${error.message}`]).slice(0, 6).join('\n'),
      hint: crash.hint ?? 'Fix the error above: the line and column point at it. `npm run typecheck` shows it too.',
    });
  }
}

/**
 * The probe of `file` in lab `slug` of the graded tree, shared by a checker file's tests: call
 * the returned function with the check's context (`probe(ctx).call(...)`). `driver` is a module
 * of the checker's whose functions receive the lab's module first, for calls that must hand the
 * learner's function what JSON cannot carry. For a server given with --server, the check is
 * skipped: it needs the lab's TypeScript.
 */
export function labProbe(slug: string, file: string, options: { driver?: string | URL } = {}): (ctx: SkipContext) => LabProbe {
  let probe: LabProbe | undefined;
  return (ctx) => {
    skipUnlessLabCode(ctx, file);
    probe ??= new LabProbe(labPath(slug, file), { ...options, scope: 'file' });
    return probe;
  };
}

/** "your request() did not return within 3 s (…)": how a call that did not settle reads. */
export function describeUnsettled(fn: string, outcome: ProbeOutcome): string | undefined {
  switch (outcome.settled) {
    case 'pending':
      return `your ${fn} did not return within ${(outcome.ms / 1000).toFixed(1)} s: its promise never settled`;
    case 'blocked':
      return `your ${fn} did not return within ${(outcome.ms / 1000).toFixed(1)} s, and blocked its program entirely (an endless loop?)`;
    case 'crashed':
      return `your ${fn} crashed its program${outcome.error ? ` with ${outcome.error.name}: ${outcome.error.message}` : ` (exit code ${outcome.exitCode})`}`;
    default:
      return undefined;
  }
}
