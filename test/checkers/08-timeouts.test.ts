// Checker for lab 08: timeouts. Two parts, both over real UDP on loopback:
//
//   - the client, requestWithRetry() in request-with-retry.ts, called in a probe (a process of its
//     own) through support/08-driver.ts, which hands it a random() that returns a fixed sequence
//     and an AbortSignal. The checker plays the server with a socket of its own, which drops some
//     attempts, replies late, sends decoys from other ports and with other ids, or never replies,
//     and times the attempts as they arrive.
//   - the server, server.ts, run as a user would: lesson 06's commands, SLOW, and how it stops.
//
// Timing is judged with tolerances that a loaded 2-core machine keeps: a gap between two attempts
// may be 10 % + 15 ms shorter than its plan (and shorter still by the checker's own lateness in
// seeing the first of them, which it measures), or 150 ms longer; a deadline is kept within
// 150 ms; an abort is obeyed within 100 ms. On the 2-core machine at a load average of 15 to 28,
// 40 runs of the solution's checks found gaps from 90 ms short (the checker held up) to 117 ms
// long, deadlines within 5 ms, aborts within 1 ms; a schedule missed while the checker or the
// probe was held up is played again (three runs at most). Each schedule is chosen so that every known
// mistake misses its plan by far more than the tolerance (see NEVER), and every wait for
// something a correct lab does at once is long, since it ends as soon as that comes.

import { beforeAll, describe, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  boundPorts,
  describePayload,
  describeUnsettled,
  ensureRunning,
  exchange,
  namesEndpoint,
  checkContext,
  labProbe,
  labServer,
  willRun,
  type Datagram,
  type Expectation,
  type ProbeOutcome,
  type Scope,
  type ServerProcess,
  type SkipContext,
} from '../../tools/harness/index.ts';
import type { BackoffCase, Plan, Report } from './support/08-driver.ts';
import { Early } from './support/server-checks.ts';

const SLUG = '08-timeouts';
const CLIENT = `labs/${SLUG}/request-with-retry.ts`;
const DRIVER = new URL('./support/08-driver.ts', import.meta.url);
/**
 * The probes that call requestWithRetry(): three processes, so that the scenarios play side by
 * side, three at a time, while each process makes its calls one after another, as each call is
 * checked for what it left open when it settled. A group keeps the order in which the checks
 * play its scenarios; the two that "gives each request an id of its own" compares share one, as
 * two calls of one program.
 */
const probes = {
  first: labProbe(SLUG, 'request-with-retry.ts', { driver: DRIVER }),
  never: labProbe(SLUG, 'request-with-retry.ts', { driver: DRIVER }),
  retries: labProbe(SLUG, 'request-with-retry.ts', { driver: DRIVER }),
};
/** The server for the protocol checks, and the drain at the end. */
const server = labServer(SLUG);
/** A copy on --port 0 with --drain-ms 200: the real port, then a drain deadline that passes. */
const quickDrain = labServer(SLUG, { port: 0, args: ['--drain-ms', '200'] });
/** A copy for SLOW's limits, then two Ctrl+C: its drain would take long, so that only the second can end it soon. */
const twice = labServer(SLUG, { args: ['--drain-ms', '10000'] });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the client: scenarios played against the checker's own server ----

interface Options {
  attemptTimeoutMs: number;
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  deadlineMs: number;
}

interface Stage {
  /** Sends "#<the datagram's id> " + answer to where the datagram came from, from `from` (the server by default). */
  reply(to: Datagram, answer: Buffer | string, from?: UdpClient, tag?: string): Promise<void>;
  server: UdpClient;
  /** What the scenario did, in words, for messages. */
  story: string[];
}

interface Scenario {
  name: string;
  /** The probe process that plays it (see probes). */
  probe: keyof typeof probes;
  payload: Buffer | string;
  options: Options;
  plan: Plan;
  /** How long after it settles to look at what the call left open. */
  openAfterMs?: number;
  /** The checker's server's move when attempt k (from 0) arrives. */
  onAttempt?: (k: number, d: Datagram, stage: Stage) => Promise<void>;
}

interface Played {
  scenario: Scenario;
  /** For each attempt, how late the checker may have been to see it arrive (its own stalls). */
  lateness: number[];
  /** The call, as a learner would write it. */
  shown: string;
  attempts: Datagram[];
  outcome: ProbeOutcome;
  /** The driver's report, when the call settled. */
  report?: Report;
  open: string[];
  story: string[];
}

const ID = /^#([A-Za-z0-9_-]{1,16}) /;

/** The id a request carries, or undefined. */
function idOf(d: Datagram): string | undefined {
  return ID.exec(d.data.subarray(0, 18).toString('latin1'))?.[1];
}

function showPayload(p: Buffer | string): string {
  return typeof p === 'string' ? JSON.stringify(p) : `<${describePayload(p)}>`;
}

function showCall(sc: Scenario, port: number): string {
  const o = sc.options;
  const random = sc.plan.random.length === 1 ? `() => ${sc.plan.random[0]}` : `() => ${sc.plan.random.join(', ')} in turn`;
  const extras = [
    sc.plan.abortAfterMs === 0 ? 'signal (aborted before the call)' : sc.plan.abortAfterMs ? `signal (aborted after ${sc.plan.abortAfterMs} ms)` : sc.plan.signal ? 'signal' : '',
  ].filter(Boolean);
  return `requestWithRetry('127.0.0.1', ${port}, ${showPayload(sc.payload)}, { attemptTimeoutMs: ${o.attemptTimeoutMs}, attempts: ${o.attempts}, baseDelayMs: ${o.baseDelayMs}, maxDelayMs: ${o.maxDelayMs}, deadlineMs: ${o.deadlineMs}, random: ${random}${extras.map((e) => `, ${e}`).join('')} })`;
}

const played = new Map<string, Promise<Played>>();

let warm = false;
/**
 * Starts the server of the protocol checks while the client's checks run: every run needs it (a
 * known answer's run too, for the smoke check). Whatever goes wrong is reported by its checks.
 * Once: a later call would start it again after the SIGTERM check has ended it.
 */
function warmUp(): void {
  if (warm) return;
  warm = true;
  void server().catch(() => {});
}

/** Plays the scenario once per checker file; the checks that look at it share the result. */
function play(ctx: SkipContext, sc: Scenario): Promise<Played> {
  warmUp();
  const lab = probes[sc.probe](ctx); // skips the check for a server given with --server
  let p = played.get(sc.name);
  if (!p) {
    p = playNow(lab, sc);
    p.catch(() => {}); // reported by the checks that look at it
    played.set(sc.name, p);
  }
  return p;
}

let backoffCalls: Promise<ProbeOutcome> | undefined;
/** backoffDelay() in every case, called once per checker file. */
function backoffs(ctx: SkipContext): Promise<ProbeOutcome> {
  warmUp();
  const lab = probes.first(ctx);
  backoffCalls ??= lab.call('backoffs', [BACKOFF_CASES], { timeoutMs: 2000 });
  backoffCalls.catch(() => {});
  return backoffCalls;
}

const BACKOFF_CHECK = 'backoffDelay(n) is random() × min(maxDelayMs, baseDelayMs × 2ⁿ)';

/**
 * Starts, as the file begins, the calls of the client's checks that are going to run (a
 * known answer's run names only some): the scenarios then play side by side, in their groups, as
 * the checks before them are judged. Each is still played once and judged by its checks, so the
 * verdict is the one a check-by-check run gives. For a server given with --server, nothing: the
 * checks skip, as they call the lab's TypeScript.
 */
function playEarly(uses: ReadonlyArray<readonly [check: string, scenarios: readonly Scenario[]]>): void {
  if (checkContext().server) return;
  const unused: SkipContext = { skip: () => {} }; // not reached: see above
  const wanted = new Set(uses.filter(([check]) => willRun(check)).flatMap(([, scenarios]) => scenarios));
  // NEVER, the longest, starts its process first; backoffDelay() is the first call of its own
  // process, as in a check-by-check run.
  if (wanted.has(NEVER)) void play(unused, NEVER);
  if (willRun(BACKOFF_CHECK)) void backoffs(unused);
  for (const sc of SCENARIOS) if (sc !== NEVER && wanted.has(sc)) void play(unused, sc);
}

async function playNow(lab: ReturnType<typeof probes.first>, sc: Scenario): Promise<Played> {
  // Played early, while other checks run: what it opens lasts the file, not the check running then.
  const server = await UdpClient.open('127.0.0.1', 'file');
  const port = server.port;
  const story: string[] = [];
  const stage: Stage = {
    server,
    story,
    async reply(to, answer, from = server, tag = idOf(to) === undefined ? '' : `#${idOf(to)} `) {
      await from.send(Buffer.concat([Buffer.from(tag, 'latin1'), Buffer.from(answer)]), to);
    },
  };
  const plan = sc.options.attempts * sc.options.attemptTimeoutMs + sc.options.attempts * sc.options.maxDelayMs;
  const timeoutMs = Math.min(plan, sc.options.deadlineMs) + 2000;
  const call = lab.call('retry', ['127.0.0.1', port, sc.payload, sc.options, sc.plan], { timeoutMs, openAfterMs: sc.openAfterMs ?? 0 });
  let outcome: ProbeOutcome | undefined;
  let failed: unknown;
  call.then((o) => (outcome = o), (err: unknown) => (failed = err ?? new Error('the probe failed')));
  const attempts: Datagram[] = [];
  const lag = watchLag();
  let lateness: number[];
  try {
    while (outcome === undefined && failed === undefined) {
      const d = await server.receive(20);
      if (!d || attempts.length >= 100) continue;
      attempts.push(d);
      await sc.onAttempt?.(attempts.length - 1, d, stage);
    }
    if (failed !== undefined) throw failed;
    // The outcome can come before the last datagrams are read: take them until 15 ms pass quietly.
    for (const until = performance.now() + 200; performance.now() < until; ) {
      const d = await server.receive(15);
      if (!d) break;
      attempts.push(d);
    }
    lateness = attempts.map((d) => lag.before(d.at));
  } finally {
    lag.stop();
    await server.close();
  }
  const o = outcome!;
  const report = o.settled === 'resolved' ? (o.value as Report) : undefined;
  if (report?.missing) {
    throw new CheckFailure({
      summary: `${CLIENT} does not export a function named ${report.missing}.`,
      hint: "Keep the starter's exports, with their names and parameters: the checker calls them.",
    });
  }
  return { scenario: sc, shown: showCall(sc, port), attempts, lateness, outcome: o, report, open: 'open' in o ? o.open : [], story };
}

/**
 * The checker's own event loop, watched while a scenario plays: a tick every 5 ms. A datagram is
 * time-stamped when the loop gets to it; if the checker's process was held up (a loaded machine
 * does that), it may have arrived as early as the tick before the last one, and a gap that
 * starts with it may look shorter than it was. `before(at)` says by how much at most.
 */
function watchLag(): { before(at: number): number; stop(): void } {
  const ticks = [performance.now()];
  const timer = setInterval(() => ticks.push(performance.now()), 5);
  return {
    before(at) {
      let i = ticks.length - 1;
      while (i > 0 && ticks[i]! > at) i--;
      return Math.max(0, at - ticks[Math.max(0, i - 1)]!);
    },
    stop: () => clearInterval(timer),
  };
}

/** "resolved with "hi" (2 B) after 3 ms", "rejected with TimeoutError: …, after 150 ms". */
function describeOutcome(p: Played): string {
  const o = p.outcome;
  const unsettled = describeUnsettled('requestWithRetry()', o);
  if (unsettled) return o.settled === 'crashed' && o.stderr.length > 0 ? `${unsettled}:\n${o.stderr.join('\n')}` : unsettled;
  const r = p.report!;
  if (r.settled === 'resolved') {
    return `resolved with ${Buffer.isBuffer(r.value) ? describePayload(r.value) : `a ${typeof r.value}, not a Buffer`} after ${r.ms} ms`;
  }
  return `rejected with ${r.error!.name}${r.error!.code ? ` (${r.error!.code})` : ''}: ${r.error!.message}, after ${r.ms} ms`;
}

/** "attempt 1 at 0 ms, attempt 2 at 283 ms" (from the first), or "no attempt". */
function describeAttempts(p: Played): string {
  if (p.attempts.length === 0) return 'no attempt arrived';
  const t0 = p.attempts[0]!.at;
  return p.attempts.map((d, i) => `attempt ${i + 1} at ${Math.round(d.at - t0)} ms`).join(', ');
}

function unsettledHint(o: ProbeOutcome): string | undefined {
  if (o.settled === 'blocked') return 'Something never lets go of the event loop, such as a `while` loop that waits: nothing else can run then, not even the message handler or a timer. Wait with setTimeout and events instead.';
  if (o.settled === 'pending') return 'Settle the promise on every way out: the answer, the last timeout, the deadline, the signal, a failed send.';
  if (o.settled === 'crashed') return "An exception escaped (an 'error' event nobody listens to, a throw inside a handler or a timer, a send on a socket already closed), which ends the whole program. Reject the promise instead, and stop every timer before closing the socket.";
  return undefined;
}

/** The check fails with the call's own story unless it settled. */
function expectSettled(p: Played, expected: string): Report {
  if (p.report) return p.report;
  throw new CheckFailure({
    summary: `${describeUnsettled('requestWithRetry()', p.outcome)!.replace(/^your/, 'Your')}.`,
    sent: p.shown,
    expected,
    got: `${describeOutcome(p)}; ${describeAttempts(p)}`,
    hint: unsettledHint(p.outcome),
  });
}

/** Every attempt carries an id and the payload, byte for byte. */
function expectTagged(p: Played): void {
  const payload = Buffer.from(p.scenario.payload);
  for (const [i, d] of p.attempts.entries()) {
    const id = idOf(d);
    const rest = id === undefined ? undefined : d.data.subarray(id.length + 2);
    if (rest?.equals(payload)) continue;
    const start = d.data.subarray(0, 40).toString('latin1');
    const tooLong = /^#([A-Za-z0-9_-]{17,}) /.exec(start);
    throw new CheckFailure({
      summary: id === undefined ? `Attempt ${i + 1} carries no request id.` : `Attempt ${i + 1} does not carry the payload after its id.`,
      sent: p.shown,
      expected: `"#<id> " then the payload ${describePayload(payload)}, the id being 1 to 16 letters, digits, - or _`,
      got: `${describePayload(d.data)}${d.data.length > 0 ? ` (starting ${JSON.stringify(start.slice(0, 30))})` : ''}`,
      hint: tooLong
        ? `The id "${tooLong[1]!.slice(0, 20)}…" is ${tooLong[1]!.length} characters: lesson 06's servers take 1 to 16, and read a longer one as part of an unknown command. crypto.randomUUID() is 36: randomBytes(6).toString('base64url') gives 8.`
        : id === undefined
          ? 'Put the tag in front of the payload: Buffer.concat([Buffer.from(`#${id} `), payload]). Without an id, a reply cannot be told from a reply to some other request.'
          : 'Send the payload as it is after "#<id> ": a Buffer as it is, a string as Buffer.from(text).',
    });
  }
}

/** Fails unless the call left no socket, timer or abort listener behind. */
function expectNothingLeft(p: Played, after: string): void {
  const r = p.report!;
  const sockets = p.open.filter((x) => /^udpwrap$/i.test(x)).length;
  const timers = p.open.filter((x) => /^timeout$/i.test(x)).length;
  const listeners = r.abortListeners ?? 0;
  if (sockets + timers + listeners === 0) return;
  const what = [
    sockets > 0 && `${sockets} UDP socket${sockets === 1 ? '' : 's'}`,
    timers > 0 && `${timers} timer${timers === 1 ? '' : 's'}`,
    listeners > 0 && `${listeners} 'abort' listener${listeners === 1 ? '' : 's'} on the signal`,
  ].filter(Boolean).join(' and ');
  throw new CheckFailure({
    summary: `requestWithRetry() left ${what} behind after ${after}.`,
    sent: p.shown,
    expected: `nothing of the call's still open ${p.scenario.openAfterMs ?? 0} ms after it settled`,
    got: `${what}, ${p.scenario.openAfterMs ?? 0} ms after it ${r.settled}`,
    hint: sockets > 0
      ? 'Close the socket on every way out (the answer, the last timeout, the deadline, the abort, an error): an open socket keeps the program alive.'
      : timers > 0
        ? 'Clear every timer on every way out: the attempt or wait that was running, and the deadline. A pending timer keeps the program alive until it fires, and may send once more.'
        : "Remove the 'abort' listener when the call settles (signal.removeEventListener('abort', onAbort)). A caller that passes one signal to many calls, such as a server's shutdown signal, would otherwise collect a listener per call.",
  });
}

/** A number of ms (or s) in the message that is close to the time the call took. */
function namesTime(message: string, ms: number): boolean {
  for (const m of message.matchAll(/(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)\b/gi)) {
    const value = Number(m[1]) * (/^m/i.test(m[2]!) ? 1 : 1000);
    if (Math.abs(value - ms) <= 50 + ms * 0.2) return true;
  }
  return false;
}

/** The message names the number of attempts. */
function namesAttempts(message: string, n: number): boolean {
  return new RegExp(`(?<![\\d.])${n}(?![\\d.]|\\s*(ms|s)\\b)`).test(message) && /attempt|tr(y|ie)|time/i.test(message);
}

/** The error says how many attempts and how long, or the check fails. */
function expectTimeoutError(p: Played, r: Report, expected: string, hintIfNot: string): void {
  const e = r.error;
  const n = p.attempts.length;
  if (r.settled === 'rejected' && e?.name === 'TimeoutError' && namesAttempts(e.message, n) && namesTime(e.message, r.ms)) return;
  const problem =
    r.settled !== 'rejected' ? 'It did not reject.'
    : e?.name !== 'TimeoutError' ? `It rejected with ${e?.name}, not a TimeoutError.`
    : !namesAttempts(e.message, n) ? `The error does not say how many attempts were made (${n}).`
    : `The error does not say how long it tried (about ${r.ms} ms).`;
  throw new CheckFailure({
    summary: `When no answer comes, the error must say what was tried. ${problem}`,
    sent: `${p.shown}, to a server that never answers`,
    expected,
    got: `${describeOutcome(p)}; ${describeAttempts(p)}`,
    hint: e?.name === 'TimeoutError' || r.settled !== 'rejected'
      ? hintIfNot
      : 'Reject with the starter\'s TimeoutError class (its name is "TimeoutError"), with a message such as `No reply from 127.0.0.1:8080 after 4 attempts in 1523 ms`.',
  });
}

// The schedules. Each is chosen so that every known mistake misses it by far more than the
// tolerance: see the table in plannedGaps' comment.

/** The planned gaps between attempts k and k + 1, from the options and random()'s sequence. */
function plannedGaps(o: Options, random: number[], formula = (n: number, r: number) => r * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** n)): number[] {
  return Array.from({ length: o.attempts - 1 }, (_, n) => o.attemptTimeoutMs + formula(n, random[Math.min(n, random.length - 1)]!));
}

/**
 * A gap may be 10 % + 15 ms short of its plan (and short by the checker's own lateness to see its
 * first datagram), or 150 ms long (and longer by the probe's, `later`).
 */
const gapOk = (gap: number, plan: number, lateness = 0, later = 0) => gap >= plan * 0.9 - 15 - lateness && gap <= plan + 150 + later;

const ANSWER = Buffer.from([0x00, 0xff, 0x20, 0x23, 0x41, 0x0a]);

const BASIC: Scenario = {
  name: 'basic',
  probe: 'first',
  payload: Buffer.concat([Buffer.from('ECHO '), Buffer.from([0xc3, 0x9f, 0x00, 0xff, 0x0d, 0x0a, 0x23, 0x20])]),
  options: { attemptTimeoutMs: 800, attempts: 2, baseDelayMs: 100, maxDelayMs: 100, deadlineMs: 2000 },
  plan: { random: [0.5], signal: true },
  openAfterMs: 50,
  async onAttempt(k, d, stage) {
    if (k === 0) await stage.reply(d, ANSWER);
  },
};

// No reply, ever. The gaps are 40 ms + [240, 10, 10, 150] ms: without jitter the second is
// 540 ms; with 2^(n+1) the first is 520 ms; without the cap the fourth is 640 ms; with random()
// called once for the id, the first is 45 ms.
const NEVER: Scenario = {
  name: 'never',
  probe: 'never',
  payload: 'ECHO anyone?',
  options: { attemptTimeoutMs: 40, attempts: 5, baseDelayMs: 250, maxDelayMs: 500, deadlineMs: 5000 },
  plan: { random: [0.96, 0.02, 0.02, 0.3] },
  openAfterMs: 50,
};

// The answer goes to attempt 3, and attempt 4 would be 400 ms later: time enough for the
// checker's reply to arrive first, even on a machine that holds the checker up for a while.
const THIRD: Scenario = {
  name: 'third',
  probe: 'retries',
  payload: 'ECHO third time lucky',
  options: { attemptTimeoutMs: 40, attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 3000 },
  plan: { random: [0.5, 0.25, 0.9] },
  async onAttempt(k, d, stage) {
    if (k === 2) await stage.reply(d, 'third time lucky');
  },
};

// Attempt 2 goes 90 ms after attempt 1; attempt 3 would go 440 ms after attempt 2, which leaves
// the checker time to send the late reply first.
const LATE: Scenario = {
  name: 'late',
  probe: 'retries',
  payload: 'SLOW 100 late but good',
  options: { attemptTimeoutMs: 80, attempts: 3, baseDelayMs: 200, maxDelayMs: 1000, deadlineMs: 3000 },
  plan: { random: [0.05, 0.9] },
  async onAttempt(k, d, stage) {
    // Attempt 1 is answered only once attempt 2 has gone out: the answer to it is late, and good.
    if (k === 1) {
      const first = lateFirst.get(stage.server);
      if (first) await stage.reply(first, 'late but good');
    } else if (k === 0) lateFirst.set(stage.server, d);
  },
};
const lateFirst = new WeakMap<UdpClient, Datagram>();

const DECOYS = ['from another port', 'from another address', 'another id', 'a longer id', 'no id'];
const STRANGERS: Scenario = {
  name: 'strangers',
  probe: 'first',
  payload: 'ECHO the real one',
  options: { attemptTimeoutMs: 500, attempts: 2, baseDelayMs: 100, maxDelayMs: 100, deadlineMs: 2000 },
  plan: { random: [0.5] },
  async onAttempt(k, d, stage) {
    if (k !== 0) return;
    const id = idOf(d) ?? 'x';
    const other = await UdpClient.open('127.0.0.1', 'file');
    await stage.reply(d, 'from another port', other);
    stage.story.push(`"from another port" from ${other.endpoint}`);
    try {
      const elsewhere = await UdpClient.openAt('127.0.0.2', stage.server.port, 'file');
      await stage.reply(d, 'from another address', elsewhere);
      stage.story.push(`"from another address" from ${elsewhere.endpoint}`);
    } catch {
      // macOS has no 127.0.0.2: the address filter is not tried here.
    }
    const otherId = [...id].map((c) => (c === 'a' ? 'b' : 'a')).join('');
    await stage.reply(d, 'another id', stage.server, `#${otherId} `);
    await stage.reply(d, 'a longer id', stage.server, `#${id}0 `);
    await stage.reply(d, 'no id', stage.server, '');
    stage.story.push(`"another id" tagged #${otherId}, "a longer id" tagged #${id}0 and "no id" untagged, from the server's own 127.0.0.1:${stage.server.port}`);
    await sleep(15);
    await stage.reply(d, 'the real one');
    stage.story.push(`then "the real one", tagged #${id}, from 127.0.0.1:${stage.server.port}`);
  },
};

// The deadline (150 ms) falls in the 400 ms wait after attempt 1.
const DEADLINE: Scenario = {
  name: 'deadline',
  probe: 'first',
  payload: 'ECHO in time?',
  options: { attemptTimeoutMs: 60, attempts: 3, baseDelayMs: 500, maxDelayMs: 500, deadlineMs: 150 },
  plan: { random: [0.8, 0.8] },
  openAfterMs: 50,
};

// Aborted 60 ms into attempt 1's 600 ms timeout.
const ABORT_ATTEMPT: Scenario = {
  name: 'abort-attempt',
  probe: 'first',
  payload: 'ECHO stop',
  options: { attemptTimeoutMs: 600, attempts: 2, baseDelayMs: 100, maxDelayMs: 100, deadlineMs: 3000 },
  plan: { random: [0.5], abortAfterMs: 60 },
  openAfterMs: 50,
};

// Aborted 100 ms into the 540 ms wait after attempt 1.
const ABORT_WAIT: Scenario = {
  name: 'abort-wait',
  probe: 'retries',
  payload: 'ECHO stop',
  options: { attemptTimeoutMs: 40, attempts: 3, baseDelayMs: 600, maxDelayMs: 600, deadlineMs: 3000 },
  plan: { random: [0.9, 0.9], abortAfterMs: 140 },
  openAfterMs: 50,
};

const ABORT_BEFORE: Scenario = {
  name: 'abort-before',
  probe: 'first',
  payload: 'ECHO never',
  options: { attemptTimeoutMs: 200, attempts: 2, baseDelayMs: 100, maxDelayMs: 100, deadlineMs: 1000 },
  plan: { random: [0.5], abortAfterMs: 0 },
  openAfterMs: 50,
};

/** Rejected with an AbortError within 100 ms of the abort, one attempt (or none), nothing left. */
async function expectAbort(ctx: SkipContext, sc: Scenario, when: string, hint: string): Promise<void> {
  const p = await play(ctx, sc);
  const before = sc.plan.abortAfterMs === 0;
  const expected = `rejected with an AbortError within 100 ms of the abort, after ${before ? 'no attempt' : '1 attempt'}, leaving nothing open`;
  const r = expectSettled(p, expected);
  expectTagged(p);
  const abortedAt = r.abortedAtMs === undefined ? undefined : Math.max(0, r.abortedAtMs);
  const late = abortedAt === undefined ? undefined : r.ms - abortedAt;
  const sentAfter = before ? p.attempts.length : p.attempts.length - 1;
  let problem: string | undefined;
  if (!before && abortedAt === undefined) {
    throw new CheckFailure({
      summary: `requestWithRetry() had ${r.settled} before the signal aborted, after ${p.attempts.length} attempt${p.attempts.length === 1 ? '' : 's'}: this check needs its retries (see the checks above).`,
      sent: p.shown,
      expected,
      got: `${describeOutcome(p)}; ${describeAttempts(p)}`,
      hint: 'Make the retries work first: after attempt 1 times out, the call waits, and the signal aborts during that wait.',
    });
  }
  if (r.settled !== 'rejected') problem = 'It did not reject.';
  else if (r.error?.name !== 'AbortError') problem = `It rejected with ${r.error?.name}, not an AbortError.`;
  else if (late === undefined || late > 100) problem = `It rejected ${late ?? r.ms} ms after the abort, not at once.`;
  else if (sentAfter > 0) problem = before ? 'It sent a request although the signal had already aborted.' : 'It sent another attempt after the abort.';
  if (problem) {
    throw new CheckFailure({
      summary: `When the signal aborts ${when}, the call must end at once. ${problem}`,
      sent: p.shown,
      expected,
      got: `${describeOutcome(p)}${abortedAt !== undefined ? ` (the signal aborted at ${abortedAt} ms)` : ''}; ${describeAttempts(p)}`,
      hint: r.settled === 'rejected' && r.error?.name !== 'AbortError' && (late ?? 0) <= 100
        ? 'Reject with an error named "AbortError": the starter\'s AbortError class, or signal.reason, which is one when abort() is called without a reason.'
        : hint,
    });
  }
  expectNothingLeft(p, 'the abort');
}

/** The scenarios in the order the checks play them (each group's calls run in this order). */
const SCENARIOS = [BASIC, STRANGERS, THIRD, NEVER, LATE, DEADLINE, ABORT_ATTEMPT, ABORT_WAIT, ABORT_BEFORE];

const BACKOFF_CASES: BackoffCase[] = [
  { n: 0, baseDelayMs: 100, maxDelayMs: 1000, random: 0.5 },
  { n: 3, baseDelayMs: 100, maxDelayMs: 1000, random: 0.5 },
  { n: 5, baseDelayMs: 100, maxDelayMs: 1000, random: 0.25 },
  { n: 2, baseDelayMs: 100, maxDelayMs: 1000, random: 0 },
  { n: 1, baseDelayMs: 250, maxDelayMs: 300, random: 0.9 },
];

/** The client's checks and the scenarios each looks at. */
const PLAYS: ReadonlyArray<readonly [check: string, scenarios: readonly Scenario[]]> = [
  ['sends the payload tagged "#<id> ", resolves with the answer after the id', [BASIC]],
  ['leaves no socket, timer or abort listener behind after the answer', [BASIC]],
  ['gives each request an id of its own', [BASIC, STRANGERS]],
  ["retries after each attempt's timeout, and stops at the reply to attempt 3", [THIRD]],
  ['waits random() × min(maxDelayMs, baseDelayMs × 2ⁿ) between attempts', [NEVER]],
  ['gives up after its attempts, with a TimeoutError naming them and the time', [NEVER]],
  ['leaves no socket or timer behind after giving up', [NEVER]],
  ['takes a late reply to attempt 1, even after attempt 2 went out', [LATE]],
  ['ignores replies from another port or address, or with another id', [STRANGERS]],
  ['stops at its deadline, even in the middle of a wait, leaving nothing open', [DEADLINE]],
  ['obeys an abort at once during an attempt, leaving nothing open', [ABORT_ATTEMPT]],
  ['obeys an abort at once during a wait between attempts', [ABORT_WAIT]],
  ['obeys a signal aborted before the call: rejects at once, sends nothing', [ABORT_BEFORE]],
];

// ---- the server's checks that take time ----

const LESSON06_CHECK = "answers lesson 06's TIME, ECHO and unknown commands, with and without #id";
const SLOW_CHECKS = ['answers SLOW <ms> <text> with <text>, <ms> later', 'answers other requests while a SLOW one is waiting'];
const SIGTERM_CHECK = 'on SIGTERM, finishes the requests in progress, takes no new ones, exits 0';
const ABANDON_CHECK = 'exits 1, saying how many it abandoned, when --drain-ms has passed';
const REFUSE_CHECK = 'refuses SLOW over 10 s or without a proper delay: "Error: Invalid delay"';
const CTRL_C_CHECK = 'drains on Ctrl+C, and a second Ctrl+C ends it at once';

let quickDrainSeen: Promise<{ s: ServerProcess; bound: number[] }> | undefined;
/** The copy with --drain-ms 200 and the ports it has bound, seen once it is ready (before its drain ends it). */
function quickDrainPorts(): Promise<{ s: ServerProcess; bound: number[] }> {
  quickDrainSeen ??= quickDrain().then((s) => ({ s, bound: boundPorts(s.child.pid) }));
  return quickDrainSeen;
}

/**
 * The server's checks that wait on time, started as the file begins for the checks that are
 * going to run (as with playEarly), so that they wait while the client's are judged. On
 * the shared server they run one after another, in the order of their checks (SIGTERM last, as
 * it ends it); on the copy with --drain-ms 200, once its port has been seen; on the copy with
 * --drain-ms 10000, SLOW's limits, then the two Ctrl+C that end it. A check takes its
 * run, or runs it itself if none was started: the verdict is the same either way.
 */
const early = new Early();

function startServerChecks(): void {
  const lesson06 = early.start(LESSON06_CHECK, lesson06Run);
  const slow = SLOW_CHECKS.some((check) => willRun(check)) ? lesson06.then(() => slowOnServer()).catch(() => {}) : Promise.resolve();
  early.start(SIGTERM_CHECK, sigtermRun, [lesson06, slow]);
  // The copies start once the shared server is up, after the busiest moment of the start-up.
  const up = server().catch(() => {});
  if (willRun(ABANDON_CHECK)) early.start(ABANDON_CHECK, abandonRun, [up.then(() => quickDrainPorts()).catch(() => {})]);
  const refuse = early.start(REFUSE_CHECK, refuseRun, [up]);
  early.start(CTRL_C_CHECK, ctrlCRun, [up, refuse]);
}

describe('lab 08: timeouts', () => {
  // The longest scenario first, then the server: every early start at once, as the file begins.
  beforeAll(() => {
    playEarly(PLAYS);
    startServerChecks();
  });

  describe('the client, requestWithRetry()', () => {
    it(BACKOFF_CHECK, async (ctx) => {
      const o = await backoffs(ctx);
      const shown = (c: BackoffCase) => `backoffDelay(${c.n}, { baseDelayMs: ${c.baseDelayMs}, maxDelayMs: ${c.maxDelayMs}, random: () => ${c.random} })`;
      if (o.settled !== 'resolved') {
        throw new CheckFailure({
          summary: `${describeUnsettled('backoffDelay()', o)?.replace(/^your/, 'Your') ?? 'backoffDelay() failed'}.`,
          sent: BACKOFF_CASES.map(shown).join('\n'),
          hint: unsettledHint(o),
        });
      }
      const { values = [], calls = [], missing } = o.value as { values?: unknown[]; calls?: number[]; missing?: string };
      if (missing) {
        throw new CheckFailure({ summary: `${CLIENT} does not export a function named ${missing}.`, hint: "Keep the starter's export: `export function backoffDelay(n, { baseDelayMs, maxDelayMs, random })`." });
      }
      const wrong: string[] = [];
      for (const [i, c] of BACKOFF_CASES.entries()) {
        const want = c.random * Math.min(c.maxDelayMs, c.baseDelayMs * 2 ** c.n);
        const got = values[i];
        const ok = typeof got === 'number' && Math.abs(got - want) <= 1 && calls[i] === 1;
        if (!ok) {
          const value = typeof got === 'number' ? String(got) : typeof got === 'object' && got && 'threw' in got ? `a throw: ${(got as { threw: { message: string } }).threw.message}` : JSON.stringify(got);
          wrong.push(`n ${c.n}, base ${c.baseDelayMs}, max ${c.maxDelayMs}, random() ${c.random}: ${value}${calls[i] === 1 ? '' : ` (random() called ${calls[i]} times)`}, not ${want} = ${c.random} × min(${c.maxDelayMs}, ${c.baseDelayMs} × 2^${c.n})`);
        }
      }
      if (wrong.length === 0) return;
      const noJitter = BACKOFF_CASES.every((c, i) => values[i] === Math.min(c.maxDelayMs, c.baseDelayMs * 2 ** c.n));
      const noCap = BACKOFF_CASES.every((c, i) => Math.abs(Number(values[i]) - c.random * c.baseDelayMs * 2 ** c.n) <= 1);
      const constant = BACKOFF_CASES.every((c, i) => values[i] === c.baseDelayMs);
      const shifted = BACKOFF_CASES.every((c, i) => Math.abs(Number(values[i]) - c.random * Math.min(c.maxDelayMs, c.baseDelayMs * 2 ** (c.n + 1))) <= 1);
      throw new CheckFailure({
        summary: `backoffDelay() is wrong in ${wrong.length} of ${BACKOFF_CASES.length} cases.`,
        sent: `backoffDelay(n, { baseDelayMs, maxDelayMs, random }) in ${BACKOFF_CASES.length} cases, random() returning a fixed number in each, e.g. ${shown(BACKOFF_CASES[1]!)}`,
        expected: 'random() × min(maxDelayMs, baseDelayMs × 2ⁿ), calling random() once',
        got: wrong.join('\n'),
        hint: constant
          ? 'It returns baseDelayMs whatever n is: the wait must double with each attempt (baseDelayMs × 2ⁿ), stop growing at maxDelayMs, and be a random() part of that.'
          : noJitter
          ? 'These are the waits without jitter: every client that lost the same datagram retries at the same moment. Multiply by random(): full jitter spreads them over [0, the cap).'
          : noCap
            ? 'The cap is missing: min(maxDelayMs, baseDelayMs × 2ⁿ), so that the wait stops growing at maxDelayMs.'
            : shifted
              ? 'Each wait is twice too long: n counts from 0, so the wait after the first attempt is at most baseDelayMs × 2⁰ = baseDelayMs.'
              : 'Full jitter is random() × min(maxDelayMs, baseDelayMs × 2 ** n): the cap first, then the random part of it.',
      });
    });

    it('sends the payload tagged "#<id> ", resolves with the answer after the id', async (ctx) => {
      const p = await play(ctx, BASIC);
      const expected = `resolved with ${describePayload(ANSWER)}, the reply without its "#<id> "`;
      if (p.attempts.length === 0) {
        throw new CheckFailure({
          summary: 'requestWithRetry() sent nothing.',
          sent: p.shown,
          expected: `a datagram "#<id> " + ${describePayload(Buffer.from(BASIC.payload))} at the checker's server, then ${expected}`,
          got: describeOutcome(p),
          hint: unsettledHint(p.outcome) ?? 'Send "#<id> " and the payload with socket.send(request, port, address, callback).',
        });
      }
      expectTagged(p);
      const r = expectSettled(p, expected);
      const value = r.value;
      if (r.settled === 'resolved' && Buffer.isBuffer(value) && value.equals(ANSWER) && p.attempts.length === 1) return;
      const withTag = Buffer.isBuffer(value) && value.length === ANSWER.length + idOf(p.attempts[0]!)!.length + 2;
      throw new CheckFailure({
        summary: p.attempts.length > 1 && r.settled === 'resolved' ? 'requestWithRetry() tried again although the answer had come.' : 'requestWithRetry() did not resolve with the answer.',
        sent: `${p.shown}; the checker's server replied to attempt 1 at once with "#<its id> " + ${describePayload(ANSWER)}`,
        expected: `${expected}, after 1 attempt`,
        got: `${describeOutcome(p)}; ${describeAttempts(p)}`,
        hint: withTag
          ? 'Take the "#<id> " off: resolve with msg.subarray(tag.length), the bytes after it.'
          : r.settled === 'resolved' && !Buffer.isBuffer(value)
            ? "Resolve with a Buffer: the bytes after the tag, msg.subarray(tag.length), not a string (the answer may not be text)."
            : 'Accept the first datagram from the server\'s address and port that starts with your "#<id> ", compared as bytes (the answer may not be UTF-8).',
      });
    });

    it('leaves no socket, timer or abort listener behind after the answer', async (ctx) => {
      const p = await play(ctx, BASIC);
      const r = expectSettled(p, 'resolved with the answer');
      if (r.settled !== 'resolved') {
        throw new CheckFailure({ summary: 'requestWithRetry() did not resolve with the answer (see the check above).', sent: p.shown, got: describeOutcome(p) });
      }
      expectNothingLeft(p, 'the answer');
    });

    it('gives each request an id of its own', async (ctx) => {
      const a = await play(ctx, BASIC);
      const b = await play(ctx, STRANGERS);
      for (const p of [a, b]) {
        if (p.attempts.length === 0) throw new CheckFailure({ summary: 'requestWithRetry() sent nothing.', sent: p.shown, got: describeOutcome(p), hint: unsettledHint(p.outcome) });
        expectTagged(p);
      }
      const [first, second] = [idOf(a.attempts[0]!), idOf(b.attempts[0]!)];
      if (first !== second) return;
      throw new CheckFailure({
        summary: 'Two requests carried the same id.',
        sent: `${a.shown}\nthen ${b.shown}`,
        expected: 'a new id for each call (the same on each of its attempts)',
        got: `#${first} both times`,
        hint: 'Make the id at each call: randomBytes(6).toString(\'base64url\') (node:crypto) gives 8 random id characters. A fixed id matches the late reply to an earlier call that used the same port.',
      });
    });

    it("retries after each attempt's timeout, and stops at the reply to attempt 3", async (ctx) => {
      const p = await play(ctx, THIRD);
      expectTagged(p);
      const r = expectSettled(p, 'resolved with "third time lucky" after 3 attempts');
      if (r.settled === 'resolved' && Buffer.isBuffer(r.value) && r.value.toString('latin1') === 'third time lucky' && p.attempts.length === 3) return;
      throw new CheckFailure({
        summary: p.attempts.length < 3 ? `Only ${p.attempts.length} attempt${p.attempts.length === 1 ? '' : 's'} arrived: requestWithRetry() does not try again.`
          : p.attempts.length > 3 ? `${p.attempts.length} attempts arrived: requestWithRetry() went on after the answer.`
          : 'requestWithRetry() did not resolve with the reply to attempt 3.',
        sent: `${p.shown}; the checker's server ignored attempts 1 and 2 and replied "third time lucky" to attempt 3`,
        expected: 'attempts 1, 2 and 3, about 90 ms apart (40 ms timeout + 50 ms wait), then resolved with "third time lucky"',
        got: `${describeAttempts(p)}; ${describeOutcome(p)}`,
        hint: p.attempts.length < 3
          ? 'When an attempt\'s timer fires without a reply, wait backoffDelay(n, ...) and send the same request again, up to `attempts` in all.'
          : 'Stop on the answer: clear the running timer there, so that no further attempt goes out.',
      });
    });

    it('waits random() × min(maxDelayMs, baseDelayMs × 2ⁿ) between attempts', async (ctx) => {
      const o = NEVER.options;
      const plan = plannedGaps(o, NEVER.plan.random);
      // A run that misses the plan while the checker or the probe was held up (by more than the
      // tolerance's 15 ms) is played again, three runs at most; the last is judged with what held
      // them up added to the tolerance.
      let p = await play(ctx, NEVER);
      for (let run = 1; ; run++) {
        expectTagged(p);
        expectSettled(p, 'rejected with a TimeoutError after 5 attempts');
        const gaps = p.attempts.slice(1).map((d, i) => d.at - p.attempts[i]!.at);
        const strict = gaps.length === plan.length && plan.every((g, i) => gapOk(gaps[i]!, g, p.lateness[i]));
        const held = Math.max(0, ...p.lateness) + (p.report?.lagMs ?? 0) > 15;
        if (strict || !held || run === 3) break;
        p = await playNow(probes[NEVER.probe](ctx), NEVER);
      }
      const r = expectSettled(p, 'rejected with a TimeoutError after 5 attempts');
      const gaps = p.attempts.slice(1).map((d, i) => d.at - p.attempts[i]!.at);
      const lag = p.report?.lagMs ?? 0;
      const ok = (i: number, g: number) => gaps[i] !== undefined && gapOk(gaps[i]!, g, p.lateness[i]! + lag, lag);
      const bad = plan.some((g, i) => !ok(i, g)) || gaps.length > plan.length;
      if (!bad) return;
      const rows = plan.map((g, i) => `after attempt ${i + 1}: ${gaps[i] === undefined ? 'no next attempt' : `${Math.round(gaps[i]!)} ms`}, planned ${g} ms ${ok(i, g) ? '✔' : '✘'}`);
      if (gaps.length > plan.length) rows.push(`and ${gaps.length - plan.length} attempt(s) more than the ${o.attempts} allowed`);
      // Which known mistake fits what arrived?
      const fits = (formula: (n: number, r: number) => number, random = NEVER.plan.random) =>
        gaps.length === plan.length && plannedGaps(o, random, formula).every((g, i) => gapOk(gaps[i]!, g, p.lateness[i]));
      const cap = (n: number) => Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** n);
      const hint =
        gaps.length < plan.length ? 'Send `attempts` attempts in all before giving up (5 here): after each timeout but the last, wait, then send again.'
        : fits((n) => cap(n)) ? 'These are the waits without jitter: multiply by random() (options.random), so that clients that lost the same datagram do not all come back at the same moment.'
        : fits((n, x) => x * o.baseDelayMs * 2 ** n) ? 'The cap is missing: random() × min(maxDelayMs, baseDelayMs × 2ⁿ).'
        : fits((n, x) => x * cap(n + 1)) ? 'Each wait is twice too long: n counts from 0, so the wait after attempt 1 is at most baseDelayMs.'
        : fits((n, x) => x * cap(n), [...NEVER.plan.random.slice(1), NEVER.plan.random.at(-1)!]) ? 'The waits are one random() value late: random() was called once before the first wait, for the id perhaps. It belongs to the waits alone (one call each), so that a test can predict them; make the id with node:crypto.'
        : fits((n, x) => x * cap(n) - o.attemptTimeoutMs) ? 'Each gap is short by the attempt timeout: wait for the attempt\'s timeout first, then the backoff, then send.'
        : r.randomCalls === 0 ? 'random() (options.random) was never called: use it for the jitter, as backoffDelay(n, { baseDelayMs, maxDelayMs, random }).'
        : `random() was called ${r.randomCalls} times for ${plan.length} waits. After attempt n + 1 times out (${o.attemptTimeoutMs} ms), wait backoffDelay(n, ...) with n counting from 0, then send attempt n + 2.`;
      throw new CheckFailure({
        summary: 'The attempts did not follow the schedule that options and random() give.',
        sent: `${p.shown}, to a server that never answers`,
        expected: `gaps of attemptTimeoutMs + random() × min(maxDelayMs, baseDelayMs × 2ⁿ): ${plan.join(', ')} ms (each may be 10 % + 15 ms shorter, or 150 ms longer${lag > 15 ? `, and ${lag} ms more either way: your process was held up that long` : ''})`,
        got: rows.join('\n'),
        hint,
      });
    });

    it('gives up after its attempts, with a TimeoutError naming them and the time', async (ctx) => {
      const p = await play(ctx, NEVER);
      expectTagged(p);
      const o = NEVER.options;
      const total = plannedGaps(o, NEVER.plan.random).reduce((a, b) => a + b, 0) + o.attemptTimeoutMs;
      const expected = `rejected with a TimeoutError after ${o.attempts} attempts and about ${total} ms (the last attempt's timeout included), its message naming both`;
      const r = expectSettled(p, expected);
      const inTime = r.ms >= total * 0.9 - 15 && r.ms <= total + 300;
      if (p.attempts.length !== o.attempts || (r.settled === 'rejected' && !inTime)) {
        throw new CheckFailure({
          summary: p.attempts.length !== o.attempts
            ? `${p.attempts.length} attempt${p.attempts.length === 1 ? '' : 's'} arrived, not ${o.attempts}.`
            : `It gave up after ${r.ms} ms, not after the last attempt's timeout (about ${total} ms).`,
          sent: `${p.shown}, to a server that never answers`,
          expected,
          got: `${describeAttempts(p)}; ${describeOutcome(p)}`,
          hint: p.attempts.length > o.attempts
            ? '`attempts` counts them all, the first included: with attempts: 5, give up once attempt 5 has timed out.'
            : p.attempts.length < o.attempts
              ? 'Try again after each timeout until `attempts` have gone out (5 here).'
              : 'Give up once the last attempt has had its attemptTimeoutMs: a reply may still come until then.',
        });
      }
      expectTimeoutError(p, r, expected, 'Name the attempts and the time in the message, e.g. `No reply from 127.0.0.1:8080 after 5 attempts in 652 ms`: it is all the caller learns.');
    });

    it('leaves no socket or timer behind after giving up', async (ctx) => {
      const p = await play(ctx, NEVER);
      const r = expectSettled(p, 'rejected with a TimeoutError');
      if (r.settled !== 'rejected') {
        throw new CheckFailure({ summary: 'requestWithRetry() did not give up (see the check above).', sent: p.shown, got: describeOutcome(p) });
      }
      expectNothingLeft(p, 'giving up');
    });

    it('takes a late reply to attempt 1, even after attempt 2 went out', async (ctx) => {
      const p = await play(ctx, LATE);
      expectTagged(p);
      const r = expectSettled(p, 'resolved with "late but good" after 2 attempts');
      if (r.settled === 'resolved' && Buffer.isBuffer(r.value) && r.value.toString('latin1') === 'late but good' && p.attempts.length === 2) return;
      const ports = new Set(p.attempts.map((d) => d.port));
      throw new CheckFailure({
        summary: p.attempts.length > 2 ? 'requestWithRetry() missed the late reply to attempt 1, and sent attempt 3.' : 'requestWithRetry() did not resolve with the late reply to attempt 1.',
        sent: `${p.shown}; the checker's server held back its reply to attempt 1 until attempt 2 arrived, then sent it (tagged with attempt 1's id, to where attempt 1 came from)`,
        expected: 'resolved with "late but good" (a reply to any attempt of this request is the answer), and no attempt 3',
        got: `${describeAttempts(p)}; ${describeOutcome(p)}`,
        hint: ports.size > 1
          ? `The attempts came from ${ports.size} different ports: a new socket for each attempt closes the one the late reply goes to. Use one socket from the first attempt to the end.`
          : 'Keep listening for the answer to every attempt until the call settles: the reply to attempt 1 is as good as any, since the request is the same. Accept any reply carrying one of this call\'s ids.',
      });
    });

    it('ignores replies from another port or address, or with another id', async (ctx) => {
      const p = await play(ctx, STRANGERS);
      expectTagged(p);
      const r = expectSettled(p, 'resolved with "the real one"');
      const got = r.settled === 'resolved' && Buffer.isBuffer(r.value) ? r.value.toString('latin1') : undefined;
      if (got === 'the real one') return;
      const decoy = DECOYS.find((d) => got === d) ?? (got !== undefined ? DECOYS.find((d) => got.endsWith(d)) : undefined);
      throw new CheckFailure({
        summary: decoy ? `requestWithRetry() took the decoy "${decoy}" for the answer.` : 'requestWithRetry() did not resolve with the answer.',
        sent: `${p.shown}; to attempt 1, the checker sent ${p.story.join(', ')}`,
        expected: 'resolved with "the real one", the only datagram with the id from the server\'s address and port',
        got: describeOutcome(p),
        hint:
          decoy === 'from another port' ? 'Anyone can send to your port: compare rinfo.port (and rinfo.address) with the server\'s, and ignore anything else.'
          : decoy === 'from another address' ? 'Checking the port is not enough: another address can use the same port number. Compare rinfo.address too (with ::ffff: taken off).'
          : decoy === 'another id' || decoy === 'no id' ? 'A reply from the server is the answer only if it carries this request\'s id: compare the first bytes with your "#<id> " tag.'
          : decoy === 'a longer id' ? `The reply tagged "#<your id>0 " was taken for yours: compare the whole tag, "#", the id and the space, so that a longer id does not match.`
          : got !== undefined && got.endsWith('the real one') ? 'Take the "#<id> " off the answer.'
          : unsettledHint(p.outcome) ?? 'Accept the first datagram from the server\'s address and port that starts with your "#<id> ".',
      });
    });

    it('stops at its deadline, even in the middle of a wait, leaving nothing open', async (ctx) => {
      const p = await play(ctx, DEADLINE);
      expectTagged(p);
      const deadline = DEADLINE.options.deadlineMs;
      const expected = `rejected with a TimeoutError after 1 attempt, ${deadline} ms after the call (within 150 ms), its message naming the attempt and the time`;
      const r = expectSettled(p, expected);
      const early = r.ms < deadline * 0.9 - 15;
      const late = r.ms > deadline + 150;
      if (early || late || p.attempts.length !== 1 || r.settled !== 'rejected') {
        throw new CheckFailure({
          summary: late || p.attempts.length > 1 ? `requestWithRetry() went on past its deadline of ${deadline} ms.`
            : early ? `requestWithRetry() gave up before its deadline (${deadline} ms), with attempts left and a reply still possible.`
            : 'requestWithRetry() did not reject at its deadline.',
          sent: `${p.shown}, to a server that never answers: after attempt 1 times out (60 ms), the wait is 400 ms, and the deadline falls in it`,
          expected,
          got: `${describeAttempts(p)}; ${describeOutcome(p)}`,
          hint: early
            ? 'Keep waiting until the deadline: a reply to attempt 1 may still come during the wait. Give up when the deadline\'s own timer fires, not when you see that the next attempt would come too late.'
            : 'Start one timer of deadlineMs when the call starts, and reject when it fires, whatever is running then: an attempt\'s timeout or a wait. Clear it on every way out.',
        });
      }
      expectTimeoutError(p, r, expected, 'Name the attempts and the time in the message, e.g. `No reply within the deadline of 150 ms (1 attempt in 151 ms)`.');
      expectNothingLeft(p, 'the deadline');
    });

    it('obeys an abort at once during an attempt, leaving nothing open', async (ctx) => {
      await expectAbort(ctx, ABORT_ATTEMPT, 'while an attempt waits for its reply',
        "Listen for the signal's 'abort' event (signal.addEventListener('abort', onAbort)) and reject there, at once: checking signal.aborted only between attempts waits out the attempt.");
    });

    it('obeys an abort at once during a wait between attempts', async (ctx) => {
      await expectAbort(ctx, ABORT_WAIT, 'during the wait between two attempts',
        "The wait between attempts must end on the abort too: with one 'abort' listener that clears whatever timer runs, or with setTimeout from node:timers/promises given { signal }.");
    });

    it('obeys a signal aborted before the call: rejects at once, sends nothing', async (ctx) => {
      await expectAbort(ctx, ABORT_BEFORE, 'before the call',
        "An 'abort' listener added to a signal that has already aborted never runs: the event has been. Test signal.aborted first, and reject before sending anything.");
    });
  });

  describe('the server, server.ts', () => {
    it('prints "UDP server listening on HOST:PORT" with the port it really bound', async () => {
      const { s, bound } = await quickDrainPorts();
      if (s.port !== 0 && (bound.length === 0 || bound.includes(s.port))) return;
      throw new CheckFailure({
        summary: `Started with --port 0, the server says it listens on port ${s.port}${bound.length > 0 ? `, but it is bound to port ${bound.join(', ')}` : ''}.`,
        sent: `${s.shownAs} --port 0 --host ${s.host} --drain-ms 200, where the operating system chooses the port`,
        expected: 'the port the operating system chose, read from socket.address().port once bound',
        got: s.log.find((l) => l.includes('UDP server listening')) ?? '',
        hint: 'Print socket.address().port in the bind callback, not the number you asked for: with --port 0 they differ.',
      });
    });

    it(LESSON06_CHECK, () => early.take(LESSON06_CHECK, lesson06Run));

    it('answers SLOW <ms> <text> with <text>, <ms> later', async () => {
      const { s, replies, t0, running, tail } = await slowOnServer();
      const slow = replies.find((d) => d.data.toString('latin1').startsWith('#s1 '));
      const now = replies.find((d) => d.data.toString('latin1').startsWith('#s0 '));
      const after = slow ? Math.round(slow.at - t0) : undefined;
      const ok = slow?.data.toString('latin1') === '#s1 slow one' && after! >= 200 * 0.9 - 15 && after! <= 1500 && now?.data.toString('latin1') === '#s0 at once';
      if (ok) return;
      if (!running) ensureRunning(s, 'after SLOW requests');
      throw new CheckFailure({
        summary: slow === undefined ? 'No reply came back to "#s1 SLOW 200 slow one".' : 'SLOW did not answer its text after its delay.',
        sent: `"#s1 SLOW 200 slow one", "#q1 ECHO quick" and "#s0 SLOW 0 at once", one after the other, from one client`,
        expected: '"#s1 slow one" 200 ms later (no sooner than 165 ms, and within 1.5 s), and "#s0 at once" at once',
        got: replies.length === 0 ? 'nothing within 3000 ms' : replies.map((d) => `${describePayload(d.data)} after ${Math.round(d.at - t0)} ms`).join('\n'),
        log: tail,
        hint: slow?.data.toString('latin1').includes('Unknown command')
          ? 'SLOW is not a command yet: in commands.ts, read "SLOW <ms> <text>", wait <ms> (await setTimeout(ms, undefined, { signal }) from node:timers/promises), then answer <text>.'
          : 'SLOW <ms> <text>: the delay is the digits up to the next space; the answer is everything after that space, sent once the delay has passed.',
      });
    });

    it('answers other requests while a SLOW one is waiting', async () => {
      const { s, replies, t0, running, tail } = await slowOnServer();
      const at = (prefix: string) => replies.find((d) => d.data.toString('latin1').startsWith(prefix));
      const [slow, quick] = [at('#s1 '), at('#q1 ')];
      if (quick?.data.toString('latin1') === '#q1 quick' && slow?.data.toString('latin1') === '#s1 slow one' && quick.at < slow.at) return;
      if (!running) ensureRunning(s, 'after SLOW requests');
      const noSlow = slow?.data.toString('latin1').includes('Unknown command');
      throw new CheckFailure({
        summary: noSlow ? 'This check needs SLOW, which is not a command yet (see the check above).' : '"#q1 ECHO quick" was not answered while SLOW waited.',
        sent: '"#s1 SLOW 200 slow one", then "#q1 ECHO quick", from one client',
        expected: '"#q1 quick" at once, then "#s1 slow one" 200 ms later',
        got: replies.length === 0 ? 'nothing within 3000 ms' : replies.map((d) => `${describePayload(d.data)} after ${Math.round(d.at - t0)} ms`).join('\n'),
        log: tail,
        hint: noSlow
          ? 'Add SLOW to commands.ts first.'
          : "Each request must wait on its own: the 'message' handler starts handleRequest without waiting for the one before (no queue, no `await` between two requests, no busy loop). Node runs the others while a timer waits.",
      });
    });

    it(REFUSE_CHECK, () => early.take(REFUSE_CHECK, refuseRun));

    it(SIGTERM_CHECK, () => early.take(SIGTERM_CHECK, sigtermRun));

    it(ABANDON_CHECK, () => early.take(ABANDON_CHECK, abandonRun));

    it(CTRL_C_CHECK, () => early.take(CTRL_C_CHECK, ctrlCRun));
  });
});

/** SLOW's limits, on the copy with --drain-ms 10000. */
async function refuseRun(scope: Scope): Promise<void> {
  const s = await twice();
  const client = await UdpClient.open('127.0.0.1', scope);
  const cases: [string, string, string][] = [
    ['#v1 SLOW 10001 too long', '#v1 Error: Invalid delay', 'A request may hold the server for 10 s at most: refuse SLOW over 10000 ms at once, before waiting, so that no one can tie the server up (or keep it from stopping) for longer.'],
    ['#v2 SLOW soon hi', '#v2 Error: Invalid delay', 'The delay is 1 to 5 digits: anything else after "SLOW " gets "Error: Invalid delay".'],
    ['#v3 SLOW 100', '#v3 Error: Invalid delay', 'SLOW needs its text after the delay and a space: "SLOW 100" alone gets "Error: Invalid delay".'],
    ['#v4 SLOW -5 back in time', '#v4 Error: Invalid delay', 'The delay is digits only: "-5" is not one.'],
    ['SLOW', 'Unknown command', '"SLOW" without its space is not a command, like "ECHO".'],
  ];
  for (const [send, expect, hint] of cases) {
    await exchange({
      server: s,
      client,
      send,
      expect,
      timeoutMs: 2000,
      hint: (got) => (got?.data.toString('latin1').includes('Unknown command') && send !== 'SLOW' ? 'SLOW is not a command yet: add it to commands.ts first.' : hint),
    });
  }
}

/** Two Ctrl+C to the copy with --drain-ms 10000, once the check of SLOW's limits is done with it. */
async function ctrlCRun(scope: Scope): Promise<void> {
  const s = await twice();
  const { client, ping, ready } = await inProgress(s, ['#c1 SLOW 5000 waiting'], scope);
  if (!ready) return needsSlow(s, client, '#c1 SLOW 5000 waiting');
  const since = s.log.length;
  s.signal('SIGINT');
  // Draining, it says so (or at least keeps running); without a handler, SIGINT ends it.
  await Promise.race([saysSomething(s, since, [client, ping], 1000), s.exited]);
  const first = await s.waitForExit(50);
  const sent = 'Ctrl+C (SIGINT) to the copy started with --drain-ms 10000, while "#c1 SLOW 5000 waiting" was in progress, then Ctrl+C again';
  const expected = 'still running (draining) after the first, ended within 3 s of the second (not after the 5 s SLOW), with an exit code other than 0 (130 is the convention)';
  if (first) {
    throw new CheckFailure({
      summary: 'The first Ctrl+C ended the server at once: it must drain first.',
      sent,
      expected,
      got: first.signal ? `killed by ${first.signal}` : `exit code ${first.code}`,
      log: s.log.slice(since).slice(-8),
      hint: first.signal ? "Handle SIGINT as SIGTERM: process.on('SIGINT', shutdown)." : 'On the first Ctrl+C, stop taking new requests and wait for the ones in progress, as for SIGTERM.',
    });
  }
  const signalled = performance.now();
  s.signal('SIGINT');
  const exit = await s.waitForExit(3000);
  const took = Math.round(performance.now() - signalled);
  await s.waitForClose(500);
  if (exit && (exit.signal || exit.code !== 0)) return;
  throw new CheckFailure({
    summary: exit ? 'After a second Ctrl+C the server exited with code 0, though it abandoned a request.' : 'A second Ctrl+C did not end the server.',
    sent,
    expected,
    got: exit ? `exit code 0 after ${took} ms` : 'still running 3 s after the second Ctrl+C',
    log: s.log.slice(since).slice(-8),
    hint: exit
      ? 'Ending at once abandons what was in progress: exit with a code other than 0, such as 130 (128 + SIGINT\'s number 2), what a shell reports for Ctrl+C.'
      : "Whoever presses Ctrl+C twice does not want to wait: when a signal comes while the server is already stopping, exit at once (process.exit(130)). A handler registered with process.on stays for the second one; one with process.once leaves it to Node's default, which also ends the process.",
  });
}

/** SIGTERM to the shared server, once the checks before it are done with it. */
async function sigtermRun(scope: Scope): Promise<void> {
  const s = await server();
  const { client, ping, ready } = await inProgress(s, ['#d1 SLOW 300 first', '#d2 SLOW 400 second'], scope);
  if (!ready) return needsSlow(s, client, '#d1 SLOW 300 first');
  const since = s.log.length;
  s.signal('SIGTERM');
  // The new request goes once the server has said something: a datagram that arrived before
  // it had seen the signal would rightly be answered.
  const said = await saysSomething(s, since, [client, ping], 500);
  const newcomer = await UdpClient.open('127.0.0.1', scope);
  await newcomer.send('#n1 ECHO new', s.endpoint);
  const exit = await s.waitForClose(5000);
  const answers = client.inbox.map((d) => d.data.toString('latin1'));
  const lines = s.log.slice(since).filter((l) => l.trim() !== '');
  const sent = 'SIGTERM to the server\'s process (as kill, systemd or docker stop send it), while "#d1 SLOW 300 first" and "#d2 SLOW 400 second" were in progress; then "#n1 ECHO new" from another client';
  const expected = '"#d1 first" and "#d2 second" sent, nothing for "#n1 ECHO new", a line saying it is stopping, then exit code 0 (within the default --drain-ms of 2000)';
  const got = [
    `replies: ${answers.length > 0 ? answers.map((a) => JSON.stringify(a)).join(', ') : 'none'}`,
    `to the newcomer: ${newcomer.inbox.length > 0 ? newcomer.inbox.map((d) => JSON.stringify(d.data.toString('latin1'))).join(', ') : 'nothing'}`,
    exit ? (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`) : 'still running 5 s after the signal',
  ].join('; ');
  const fail = (summary: string, hint: string) => {
    throw new CheckFailure({ summary, sent, expected, got, log: lines.slice(-8), hint });
  };
  if (exit?.signal) fail(`The server was killed by ${exit.signal}: nothing handled it.`, "Handle the signal: process.on('SIGTERM', shutdown) (and SIGINT), registered once the socket is bound.");
  if (!answers.includes('#d1 first') || !answers.includes('#d2 second')) {
    fail('The server stopped without answering the requests it had in progress.', 'On the signal, stop taking new requests but keep the socket open: close it only when the last request in progress has been answered (in its send callback), or when --drain-ms has passed.');
  }
  if (newcomer.inbox.length > 0) fail('The server answered a request that arrived after SIGTERM.', "Once the signal has come, ignore new datagrams (return early in the 'message' handler): the server is on its way out, and the client will retry elsewhere.");
  if (!exit) fail('The server was still running after its requests were answered.', 'Once the last request in progress is done, close the socket (and clear the drain timer): with nothing left to wait for, Node exits by itself.');
  if (exit!.code !== 0) fail(`The server exited with code ${exit!.code}, not 0, although everything was answered.`, 'A drain that finished is a clean stop: exit code 0. Set exitCode = 1 only when the drain deadline passed.');
  if (!said) fail('The server said nothing when the signal came.', 'Log a line when the signal arrives, with how many requests are in progress: whoever reads the log should see that the stop was deliberate.');
}

/** SIGTERM to the copy with --drain-ms 200, once the check of its port has looked at it. */
async function abandonRun(scope: Scope): Promise<void> {
  const { s } = await quickDrainPorts();
  const { client, ready } = await inProgress(s, ['#a1 SLOW 5000 one', '#a2 SLOW 5000 two'], scope);
  if (!ready) return needsSlow(s, client, '#a1 SLOW 5000 one');
  const since = s.log.length;
  const signalled = performance.now();
  s.signal('SIGTERM');
  const exit = await s.waitForExit(200 + 4000);
  const took = Math.round(performance.now() - signalled);
  await s.waitForClose(500);
  const lines = s.log.slice(since).filter((l) => l.trim() !== '');
  const counted = lines.some((l) => /(?<![\d.])2(?![\d.])/.test(l) && /abandon|unanswered|unfinished|drop|gave up|give up|giving up|lost|discard|cancel|in progress|in flight|pending|left|still/i.test(l));
  const sent = 'SIGTERM to the copy started with --drain-ms 200, while "#a1 SLOW 5000 one" and "#a2 SLOW 5000 two" were in progress';
  const expected = 'exit code 1 once the 200 ms have passed (not sooner than 150 ms after the signal), with a line that says 2 requests were abandoned';
  const got = exit ? `${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`} after ${took} ms` : `still running ${took} ms after the signal`;
  const fail = (summary: string, hint: string) => {
    throw new CheckFailure({ summary, sent, expected, got, log: lines.slice(-8), hint });
  };
  if (!exit) fail('The server did not give up on its requests when --drain-ms had passed.', 'On the signal, start a timer of --drain-ms. When it fires, give up: abort what is in progress (giveUp.abort(): a SLOW still waiting keeps the process alive, even once the socket is closed), close the socket, set process.exitCode = 1. Read --drain-ms from the command line.');
  if (exit!.signal) fail(`The server was killed by ${exit!.signal}: nothing handled it.`, "Handle the signal: process.on('SIGTERM', shutdown).");
  if (took < 150) fail(`The server gave up after ${took} ms, before its --drain-ms of 200.`, 'Give the requests in progress their chance: exit 1 only when the drain timer fires.');
  if (exit!.code !== 1) fail(`The server exited with code ${exit!.code} although it abandoned 2 requests.`, 'Abandoned work is a failure, and the exit code says so to systemd, docker or a script: process.exitCode = 1.');
  if (!counted) fail('The server did not say how many requests it abandoned.', 'Log, on stderr, how many requests were still in progress when the deadline passed: "Drain deadline of 200 ms passed: abandoned 2 requests".');
}

/** The checks of lesson 06's commands, on the shared server. */
async function lesson06Run(scope: Scope): Promise<void> {
  const s = await server();
  const client = await UdpClient.open('127.0.0.1', scope);
  const now: Expectation = {
    describe: 'the time now in UTC, 24 bytes such as "2026-12-02T05:30:00.123Z"',
    test: (d) => isNow(d.toString('latin1')),
  };
  const tagged = (tag: string, e: Expectation): Expectation => ({
    describe: `"${tag}" then ${typeof e === 'string' ? JSON.stringify(e) : (e as { describe: string }).describe}`,
    test: (d) => d.subarray(0, tag.length).toString('latin1') === tag && isNow(d.subarray(tag.length).toString('latin1')),
  });
  const cases: [Buffer | string, Expectation, string][] = [
    ['TIME', now, 'TIME answers new Date().toISOString(): UTC, with its "Z".'],
    ['#t-1 TIME', tagged('#t-1 ', now), 'A request that starts with "#<id> " gets the same "#<id> " in front of its answer.'],
    ['ECHO  two\tspaces\r\n\0', ' two\tspaces\r\n\0', 'ECHO answers every byte after "ECHO ", nothing trimmed.'],
    ['#e_2 ECHO hi', '#e_2 hi', 'A request that starts with "#<id> " gets the same "#<id> " in front of its answer.'],
    ['ECHO ', '', '"ECHO " alone echoes nothing: an empty answer.'],
    ['ECHO', 'Unknown command', '"ECHO" without its space is not a command.'],
    ['time', 'Unknown command', 'Commands are case-sensitive.'],
    ['#x9 time', '#x9 Unknown command', 'An unknown command keeps its id too.'],
    ['#a.1 ECHO hi', 'Unknown command', '"." is not an id character: "#a.1 ECHO hi" has no id, and is an unknown command.'],
    [`#${'a'.repeat(17)} ECHO hi`, 'Unknown command', 'An id is 1 to 16 characters: 17 make no id, and an unknown command.'],
    ['', 'Unknown command', 'An empty datagram is an unknown command.'],
    [Buffer.from([0xff, 0xfe, 0x41]), 'Error: Invalid encoding', 'Bytes that are not UTF-8 get "Error: Invalid encoding": decode with new TextDecoder(\'utf-8\', { fatal: true }).'],
    [Buffer.from([0x23, 0x75, 0x31, 0x20, 0xff]), '#u1 Error: Invalid encoding', 'The id is found in the bytes, before decoding: even an encoding error keeps it.'],
  ];
  for (const [send, expect, hint] of cases) await exchange({ server: s, client, send, expect, hint });
}

/** A time stamp of now, in UTC with milliseconds and a Z, within 5 s of the checker's clock. */
function isNow(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text) && Math.abs(Date.parse(text) - Date.now()) < 5000;
}

interface SlowPair {
  s: ServerProcess;
  replies: Datagram[];
  t0: number;
  /** Whether the server was still running once the replies were in (it may be stopped since, by the SIGTERM check). */
  running: boolean;
  /** The server's last lines then. */
  tail: string[];
}
let slowPair: Promise<SlowPair> | undefined;

/**
 * "#s1 SLOW 200 slow one", "#q1 ECHO quick", "#s0 SLOW 0 at once" from one client to the shared
 * server, once per file (two checks look at it, and it may start before them); the replies.
 */
function slowOnServer(): Promise<SlowPair> {
  slowPair ??= (async () => {
    const s = await server();
    ensureRunning(s, 'before the check began');
    const client = await UdpClient.open('127.0.0.1', 'file');
    const t0 = performance.now();
    for (const request of ['#s1 SLOW 200 slow one', '#q1 ECHO quick', '#s0 SLOW 0 at once']) await client.send(request, s.endpoint);
    const replies = await client.collect(3, 3000);
    await client.close();
    return { s, replies, t0, running: s.exit === undefined, tail: s.tail() };
  })();
  return slowPair;
}

/**
 * Sends the SLOW requests, then a ping from another client; its answer proves that the server
 * read them (and is far enough along to have its signal handlers). `ready` is false when a SLOW
 * was answered at once (no SLOW yet).
 */
async function inProgress(s: ServerProcess, requests: string[], scope: Scope = 'test'): Promise<{ client: UdpClient; ping: UdpClient; ready: boolean }> {
  ensureRunning(s, 'before the check began');
  const client = await UdpClient.open('127.0.0.1', scope);
  for (const request of requests) await client.send(request, s.endpoint);
  const ping = await UdpClient.open('127.0.0.1', scope);
  await exchange({
    server: s,
    client: ping,
    send: '#p1 ECHO ping',
    expect: '#p1 ping',
    timeoutMs: 3000,
    hint: (got) => (got ? undefined : `Sent after ${requests.map((r) => `"${r}"`).join(' and ')}, it got no answer: are requests answered one at a time, so that it waits behind them? See the check "answers other requests while a SLOW one is waiting".`),
  });
  await sleep(10);
  return { client, ping, ready: client.inbox.length === 0 };
}

/** The first line the server prints from log index `since` on that is not about these clients. */
function saysSomething(s: ServerProcess, since: number, clients: UdpClient[], timeoutMs: number): Promise<string | undefined> {
  const own = (line: string) => /\S/.test(line) && !clients.some((c) => namesEndpoint(line, c));
  const seen = s.log.slice(since).find(own);
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const done = (line: string | undefined) => {
      stop();
      clearTimeout(timer);
      resolve(line);
    };
    const stop = s.onLine((line) => own(line) && done(line));
    const timer = setTimeout(() => done(undefined), timeoutMs);
    void s.exited.then(() => done(undefined));
  });
}

function needsSlow(s: ServerProcess, client: UdpClient, request: string): never {
  const unknown = client.inbox.some((d) => d.data.toString('latin1').includes('Unknown command'));
  throw new CheckFailure({
    summary: unknown
      ? 'This check needs requests that take time, and SLOW is not a command yet.'
      : 'This check needs requests in progress, and the SLOW ones were answered before a quick ECHO sent after them.',
    sent: `"${request}", then "#p1 ECHO ping" from another client`,
    expected: 'the answer to the ping first: SLOW answers after its delay',
    got: `${client.inbox.map((d) => describePayload(d.data)).join(', ')}, before the answer to the ping`,
    log: s.tail(),
    hint: unknown
      ? 'Add SLOW to commands.ts first (see the checks of SLOW above).'
      : 'Requests seem to be answered one at a time: see the check "answers other requests while a SLOW one is waiting".',
  });
}
