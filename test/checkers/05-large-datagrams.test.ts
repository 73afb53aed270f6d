// Checker for lab 05: large datagrams. It grades both halves of the lab (or of the tree named by
// WORKBOOK_TARGET), each through the network:
//   - the server (server.ts) runs as a process, as a user runs it, with its time limits shortened
//     by its flags; the checker sends it chunks from sockets of its own, paced, reordered,
//     duplicated, with holes and hostile headers on purpose, or through the impairment proxy;
//   - the client, sendLarge() (send-large.ts), runs in a probe process and sends to a reference
//     server of the checker's (support/05-reference-server.ts), which loses chunks, loses or
//     changes its replies, or never answers, on purpose.
// The wire format is in solutions/05-large-datagrams/chunks.ts; the checker's own copy is
// support/05-protocol.ts.

import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, beforeEach, describe, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  boundPorts,
  checkContext,
  describePayload,
  describeUnsettled,
  ensureRunning,
  exchange,
  labPath,
  labProbe,
  labServer,
  namesEndpoint,
  seededRandom,
  startServer,
  willRun,
  type ProbeOutcome,
  type ServerProcess,
  type SkipContext,
} from '../../tools/harness/index.ts';
import { startProxy } from '../../tools/net/index.ts';
import {
  parseReply,
  MAX_REPLY,
  MIB,
  bytes,
  chunk,
  chunkCount,
  chunksOf,
  done,
  seededData,
  sha256,
  showList,
  straddlingText,
} from './support/05-protocol.ts';
import { ReferenceServer } from './support/05-reference-server.ts';
import { answered, deliver, describeGot, logOf, markLogs, replyAbout, replyWait, sendPaced, takeAll, type Got } from './support/05-sender.ts';
import type { Pacing, Step } from './support/05-driver.ts';
import { Early } from './support/server-checks.ts';

const SLUG = '05-large-datagrams';
// The shared server: MISSING after 40 ms instead of 200, so that checks of it take a moment.
const GAP = 40;
/** How long the checker listens for a second MISSING that must not come. */
const AGAIN_MS = 400;
const server = labServer(SLUG, { args: ['--quiet-gap', String(GAP)] });
// A second copy, started with --port 0, whose other time limits are short too (see short()).
const SHORT = { gap: 20, idle: 50, memory: 50 };
const DRIVER = new URL('./support/05-driver.ts', import.meta.url);
/**
 * sendLarge() is called in two probe processes, so that its checks run in two lanes side by side
 * (see startClientChecks); each process makes one call at a time, as each call is checked for
 * what it left open. A check's calls go to its lane's probe: the second lane's checks run inside
 * `lane`, every other call goes to the first.
 */
const probes = { first: labProbe(SLUG, 'send-large.ts', { driver: DRIVER }), second: labProbe(SLUG, 'send-large.ts', { driver: DRIVER }) };
const lane = new AsyncLocalStorage<'second'>();
const probe = (ctx: SkipContext) => probes[lane.getStore() ?? 'first'](ctx);

let shortStarted: Promise<ServerProcess> | undefined;
/** The copy with --port 0 --quiet-gap 20 --idle 50 --done-memory 50. */
function short(): Promise<ServerProcess> {
  shortStarted ??= startServer({
    file: labPath(SLUG, 'server.ts'),
    port: 0,
    args: ['--quiet-gap', String(SHORT.gap), '--idle', String(SHORT.idle), '--done-memory', String(SHORT.memory)],
    scope: 'file',
  });
  void shortStarted.then((s) => (started.short = s), () => {});
  return shortStarted;
}
/** The checks of the copy with short time limits. */
const IDLE_CHECK = 'drops an incomplete transfer after --idle ms of silence, and says so in its log';
const MEMORY_CHECK = 'forgets a completed transfer after --done-memory ms';
const SHORT_CHECKS = ['prints "UDP server listening on HOST:PORT" with the port it really bound', IDLE_CHECK, MEMORY_CHECK];
/** The servers once they are up, for marking their logs at the start of each check. */
const started: { shared?: ServerProcess; short?: ServerProcess } = {};

/** How long after sendLarge() settles the probe looks at what it left open. */
const OPEN_AFTER_MS = 50;

const FLAGS_HINT = 'server.ts takes --quiet-gap, --idle and --done-memory (milliseconds) and --max-transfers, as the starter does: keep them, and hand their values to the Reassembler.';

// ---- the server: helpers ----

/** A reply's text, for comparing with what a correct server sends. */
const textOf = (got: Got | undefined) => got?.datagram.data.toString('latin1');

/** Why a DONE (or other reply) is not the DONE that `data` deserves, in the learner's terms. */
function doneHint(got: Got, id: number, data: Buffer): string | undefined {
  const r = got.reply;
  if (typeof r === 'string') return `Reply in the wire format: "DONE ${id} ${data.length} <sha256 in hex>", one line of ASCII, no newline.`;
  if (r.kind === 'ERROR') return `It refused a valid chunk: "${r.reason}". Chunks of 0 to 1,200 B with an index below a count of 1 to 1,024 are all valid.`;
  if (r.kind === 'BUSY') return 'BUSY, with nothing else in progress: count only transfers still incomplete, and forget each one once it completes.';
  if (r.kind !== 'DONE') return undefined;
  if (r.bytes !== data.length) {
    return r.bytes < data.length
      ? `It assembled ${bytes(r.bytes)} of ${bytes(data.length)}. Is a chunk missing from the join, or the last, shorter one cut off? Join every payload, index 0 to count - 1, with Buffer.concat.`
      : `It assembled ${bytes(r.bytes)}, more than the ${bytes(data.length)} sent: a payload counted twice, or the 12-byte header left on a payload?`;
  }
  if (r.sha256 === sha256(data)) return undefined;
  return 'The length is right but the bytes are not: join the payloads in index order (not in order of arrival), as Buffers: text decoding damages binary data and splits UTF-8 characters.';
}

/** Sends `data` as transfer `id` (the checker as a correct client) and expects the exact DONE. */
async function expectExact(s: ServerProcess, client: UdpClient, id: number, data: Buffer, what: string): Promise<void> {
  const datagrams = chunksOf(id, data);
  const sent = `${what}: transfer ${id}, ${datagrams.length} chunk${datagrams.length === 1 ? '' : 's'}, from ${client.endpoint}`;
  const { got } = await deliver(s, client, id, datagrams, sent);
  if (textOf(got) === done(id, data)) return;
  throw new CheckFailure({
    summary: `The reply to a complete transfer ${id} of ${bytes(data.length)} is not its DONE.`,
    sent,
    expected: done(id, data),
    got: describeGot(got, 0),
    log: logOf(s),
    hint: doneHint(got, id, data),
  });
}

/** A reply that a check accepts: exact text, or a pattern with how it reads in a message. */
type Want = string | { test: RegExp; shown: string };
const errorFor = (id: number | '-'): Want => ({ test: new RegExp(`^ERROR ${id} \\S`), shown: `"ERROR ${id} <reason>"` });

/** The indices a MISSING reply names, or undefined for any other reply. */
const missingOf = (got: Got | undefined) => (got && typeof got.reply !== 'string' && got.reply.kind === 'MISSING' ? got.reply.indices : undefined);

/**
 * The next reply about `id`, expected to be `want`; `hint` explains a wrong one, or none. A
 * MISSING on the way is skipped, unless it is what the check waits for: a correct server sends
 * one whenever a transfer has been quiet for the gap, and on a busy machine that can happen
 * between two chunks the checker sent together. When `want` is a MISSING itself, an earlier one
 * that names more chunks than it (sent while some were still on their way) is skipped too.
 */
async function expectReply(s: ServerProcess, client: UdpClient, id: number | '-', want: Want, sent: string, hint: (got: Got | undefined) => string | undefined, timeoutMs = 2000, stale?: string): Promise<Got> {
  ensureRunning(s, 'before the check began');
  const ms = replyWait(s, timeoutMs);
  const deadline = performance.now() + ms;
  const parsed = typeof want === 'string' ? parseReply(Buffer.from(want)) : undefined;
  const wanted = parsed && typeof parsed !== 'string' && parsed.kind === 'MISSING' ? parsed.indices : undefined;
  const wantsMissing = typeof want === 'string' ? want.startsWith('MISSING') : want.test.source.includes('MISSING');
  let got: Got | undefined;
  let skipped: Got | undefined;
  for (;;) {
    got = await replyAbout(s, client, id, Math.max(0, deadline - performance.now()));
    const indices = missingOf(got);
    const skip = (got !== undefined && textOf(got) === stale) || (indices !== undefined && (!wantsMissing || (wanted !== undefined && indices.length > wanted.length && wanted.every((i) => indices.includes(i)))));
    if (!skip) break;
    skipped = got;
  }
  answered(s, got ?? skipped);
  // Nothing came after a skipped MISSING: that MISSING was the server's answer.
  got ??= skipped;
  const text = textOf(got);
  if (got && text !== undefined && (typeof want === 'string' ? text === want : want.test.test(text))) return got;
  if (!got) ensureRunning(s, `after it received ${sent}`);
  throw new CheckFailure({
    summary: got ? `The reply about transfer ${id} is not what a correct server sends.` : `No reply came back about transfer ${id}.`,
    sent,
    expected: typeof want === 'string' ? want : want.shown,
    got: describeGot(got, ms),
    log: logOf(s),
    hint: hint(got),
  });
}

/** The first line printed since `mark` that `test` accepts, as soon as it comes; undefined after `ms`. */
function lineSince(s: ServerProcess, mark: number, test: (line: string) => boolean, ms: number): Promise<string | undefined> {
  const seen = s.linesSince(mark).find(test);
  if (seen !== undefined || s.exit !== undefined) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const done = (line: string | undefined) => {
      clearTimeout(timer);
      stop();
      resolve(line);
    };
    const stop = s.onLine((line) => test(line) && done(line));
    const timer = setTimeout(() => done(undefined), ms);
    void s.exited.then(() => done(undefined));
  });
}

/** The server still completes a one-chunk transfer: it survived what came before. */
async function expectStillServing(s: ServerProcess, after: string): Promise<void> {
  ensureRunning(s, after);
  await exchange({
    server: s,
    send: chunk(7, 0, 1, 'hello'),
    expect: done(7, Buffer.from('hello')),
    hint: `After ${after}, the server must go on serving: a valid one-chunk transfer gets its DONE.`,
  });
}

const ERROR_HINT = (id: number | '-', what: string) =>
  `Check every header field before you trust it (${what}) and answer "ERROR ${id} <reason>" to the sender: a stranger controls these bytes.`;

// ---- the client: helpers ----

interface Call {
  outcome: Promise<ProbeOutcome>;
  shown: string;
}

function callSend(ctx: SkipContext, ref: { port: number }, size: number, seed: number, options: Record<string, number>, extra: { openAfterMs?: number; port?: number } = {}): Call {
  const port = extra.port ?? ref.port;
  const timeoutMs = (options.timeoutMs ?? 1000) * (options.maxRounds ?? 10) + 2000;
  return {
    outcome: probe(ctx).call('sendSeeded', [port, size, seed, options], { timeoutMs, openAfterMs: extra.openAfterMs ?? 0 }),
    shown: `sendLarge('127.0.0.1', ${port}, <${bytes(size)} of seeded bytes>, ${JSON.stringify(options).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ')})`,
  };
}

/** "resolved after 12 ms", "rejected with TransferError: …", or the unsettled story. */
function describeOutcome(o: ProbeOutcome): string {
  const unsettled = describeUnsettled('sendLarge()', o);
  if (unsettled) return o.settled === 'crashed' && o.stderr.length > 0 ? `${unsettled}:\n${o.stderr.join('\n')}` : unsettled;
  if (o.settled === 'resolved') {
    const ms = (o.value as { ms?: number } | undefined)?.ms;
    return `resolved after ${Math.round(ms ?? o.ms)} ms`;
  }
  if (o.settled === 'rejected') return `rejected with ${o.error.name}${o.error.code ? ` (${o.error.code})` : ''}: ${o.error.message}, after ${o.ms} ms`;
  return '';
}

/** Fails with advice when the call did not settle, or when sendLarge is not there. */
function expectSettled(call: Call, o: ProbeOutcome, expected: string): asserts o is Extract<ProbeOutcome, { open: string[] }> {
  if (o.settled === 'rejected' && o.error.code === 'NO_EXPORT') {
    throw new CheckFailure({
      summary: `labs/${SLUG}/send-large.ts does not export a function named sendLarge.`,
      hint: "Keep the starter's `export async function sendLarge(host, port, data, options)`: the checker calls it.",
    });
  }
  if (o.settled === 'resolved' || o.settled === 'rejected') return;
  throw new CheckFailure({
    summary: `${describeUnsettled('sendLarge()', o)!.replace(/^your/, 'Your')}.`,
    sent: call.shown,
    expected,
    got: describeOutcome(o),
    hint:
      o.settled === 'blocked'
        ? 'Something never lets go of the event loop, such as a loop that waits for a reply without awaiting: then not even the message handler can run.'
        : o.settled === 'pending'
          ? 'Every path must end: resolve on the right DONE; reject on ERROR, BUSY, a wrong DONE, a failed send, and after maxRounds rounds without a DONE.'
          : "An exception escaped (an 'error' event nobody listens to, or a throw in a handler) and ended the program. Reject the promise instead.",
  });
}

/** What the reference server saw: "874 datagrams of transfer 5 (count 874): indices 0-873". */
function describeArrivals(ref: ReferenceServer): string {
  const kept = ref.arrivals;
  if (kept.length === 0) return 'no datagram at all';
  const byId = new Map<number | undefined, { n: number; counts: Set<number>; indices: Set<number> }>();
  for (const a of kept) {
    const e = byId.get(a.id) ?? { n: 0, counts: new Set(), indices: new Set() };
    e.n++;
    if (a.count !== undefined) e.counts.add(a.count);
    if (a.index !== undefined) e.indices.add(a.index);
    byId.set(a.id, e);
  }
  return [...byId]
    .slice(0, 3)
    .map(([id, e]) => (id === undefined ? `${e.n} datagrams too short for a header` : `${e.n} datagram${e.n === 1 ? '' : 's'} of transfer ${id} (count ${[...e.counts].join(' or ')}): indices ${showList([...e.indices])}`))
    .join('; ');
}

/** Why the reference server did not end up with `data`, judged from what it received. */
function whyNotDelivered(ref: ReferenceServer, data: Buffer): string {
  const want = chunkCount(data.length);
  if (data.length === 0 && ref.arrivals.length === 0) return 'Empty data is still one transfer: one chunk with count 1 and no payload (a count of 0 is invalid).';
  if (ref.arrivals.length === 0) return 'Nothing arrived at all: send each chunk with socket.send(chunk, port, host, callback).';
  const counts = new Set(ref.arrivals.map((a) => a.count));
  const count = ref.arrivals[0]!.count;
  if (counts.size === 1 && count !== undefined && count !== want) {
    return `Its chunks say the transfer has ${count} chunk${count === 1 ? '' : 's'}; ${bytes(data.length)} in chunks of at most 1,200 B make ${want} (Math.ceil, not Math.floor, and 1 for empty data).`;
  }
  const seen = new Set(ref.arrivals.map((a) => a.index));
  const gaps = Array.from({ length: want }, (_, i) => i).filter((i) => !seen.has(i));
  if (gaps.length > 0) {
    return `Chunks ${showList(gaps)} never reached the reference server: lost on the way (loopback drops what a burst brings faster than the receiver reads), and not sent again. Pace the chunks, send again what MISSING names, and when no reply comes within timeoutMs, what is not acknowledged.`;
  }
  return 'Every index arrived, but the data the server assembled is not the data given: each payload is the bytes from index × 1,200 to (index + 1) × 1,200, behind a header of id, index and count as big-endian u32s.';
}

/** The data the reference server assembled for the call, compared with what was sent. */
async function expectDelivered(ref: ReferenceServer, call: Call, o: ProbeOutcome, data: Buffer, hint?: string): Promise<void> {
  expectSettled(call, o, `resolved once DONE ${data.length} ${sha256(data).slice(0, 12)}… came`);
  if (o.settled === 'resolved' && [...ref.completed.values()].some((d) => d.equals(data))) return;
  await ref.drained();
  const got = [...ref.completed.values()];
  const exact = got.some((d) => d.equals(data));
  const assembled = got.length === 0 ? `completed no transfer; it received ${describeArrivals(ref)}` : got.map((d) => `assembled ${bytes(d.length)}, sha256 ${sha256(d).slice(0, 16)}…`).join('; ');
  throw new CheckFailure({
    summary: !exact
      ? `The reference server did not receive the ${bytes(data.length)} that sendLarge() was given.`
      : 'The reference server got the data and answered DONE, but sendLarge() did not resolve.',
    sent: call.shown,
    expected: `the reference server assembles exactly those ${bytes(data.length)} (sha256 ${sha256(data).slice(0, 16)}…), answers DONE, and sendLarge() resolves`,
    got: `${describeOutcome(o)}; the reference server ${assembled}`,
    hint: hint ?? (!exact ? whyNotDelivered(ref, data) : "Resolve when a DONE arrives whose length and SHA-256 are the data's (`createHash('sha256')`, hex)."),
  });
}

/** The indices a "MISSING <id> <list>" of the reference server names. */
function parseNamed(text: string): number[] {
  return text.split(' ')[2]!.split(',').flatMap((item) => {
    const [a = 0, b = a] = item.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

/** The 1 MiB transfer, shared by the checks that look at it from different sides. */
let mibRun: { ref: ReferenceServer; call: Call; outcome: ProbeOutcome } | undefined;
async function mib(ctx: SkipContext) {
  if (mibRun) return mibRun;
  const ref = await ReferenceServer.open();
  const call = callSend(ctx, ref, MIB, 1, { timeoutMs: 1000 });
  mibRun = { ref, call, outcome: await call.outcome };
  return mibRun;
}

/**
 * sendLarge()'s checks, registered with clientIt: they run against the checker's own reference
 * servers, never the learner's server, so they can run while the server's checks do. As the file
 * begins, those that are going to run start in two lanes, each check of a lane once the one
 * before it has settled, as a check-by-check run makes its calls; each check then takes its
 * result (Early). The first lane has the checks of 1 MiB, whose pacing the driver keeps between
 * two calls, and those before them; the second, those from "ignores replies…" on, except the
 * one that waits out maxRounds. For a server given with --server, nothing starts: they skip, as
 * they call the lab's TypeScript.
 */
const clientBodies: [name: string, body: (ctx: SkipContext) => Promise<void>][] = [];
const early = new Early();
const SECOND_LANE_FROM = 'ignores replies from other ports and addresses, and about other transfers';
const FIRST_LANE_ALWAYS = 'gives up after maxRounds rounds when the server never answers, and closes its socket';

function clientIt(name: string, body: (ctx: SkipContext) => Promise<void>): void {
  clientBodies.push([name, body]);
  it(name, (ctx) => early.take(name, () => body(ctx)));
}

function startClientChecks(): void {
  if (checkContext().server) return;
  const never: SkipContext = { skip: () => {} }; // not reached: see above
  const from = clientBodies.findIndex(([name]) => name === SECOND_LANE_FROM);
  let first: Promise<unknown> = Promise.resolve();
  let second: Promise<unknown> = Promise.resolve();
  for (const [i, [name, body]] of clientBodies.entries()) {
    if (from < 0 || i < from || name === FIRST_LANE_ALWAYS) first = early.start(name, () => body(never), [first]);
    else second = early.start(name, () => lane.run('second', () => body(never)), [second]);
  }
}

/**
 * MISSING's limits and timing, on a copy of its own (see missingCopy), in two parts side by side,
 * each on a transfer and a socket of its own: the list of 350 holes, and one MISSING per quiet
 * spell. A failure of the first is reported before one of the second.
 */
async function missingRun(): Promise<void> {
  const s = await missingCopy();
  markLogs(s);
  const [list, once] = await Promise.allSettled([missingListRun(s), missingOnceRun(s)]);
  if (list.status === 'rejected') throw logApart(list.reason, 306);
  if (once.status === 'rejected') throw logApart(once.reason, 304);
}

/** A failure of one part, with the server's lines about the other part's transfer left out of its log. */
function logApart(err: unknown, other: number): unknown {
  if (!(err instanceof CheckFailure) || err.details.log === undefined) return err;
  const about = new RegExp(`\\b${other}\\b`);
  return new CheckFailure({ ...err.details, log: err.details.log.filter((line) => !about.test(line)) });
}

/** Transfer 304: half its chunks, and a MISSING that names the other half within 1,200 B. */
async function missingListRun(s: ServerProcess): Promise<void> {
  const client = await UdpClient.open();
  const count = 700;
  const all = Array.from({ length: count }, (_, i) => chunk(304, i, count, 'x'));
  try {
    await sendPaced(client, s.endpoint, all.filter((_, i) => i % 2 === 0));
    const sent = `the 350 even chunks of transfer 304 (count 700, 1 B each): the 350 odd ones, listed one by one, need about 1,400 B`;
    const evens = new Set(Array.from({ length: count / 2 }, (_, i) => 2 * i));
    let got: Got | undefined;
    for (let attempt = 1; ; attempt++) {
      got = await expectReply(s, client, 304, { test: /^MISSING 304 /, shown: '"MISSING 304 <list>"' }, sent, (g) => (g ? undefined : `No MISSING within 2 s of silence (--quiet-gap ${GAP}).`));
      // Even chunks that loopback lost would shorten the list (a run of them becomes one
      // range): send them again, unless the list is one cut to fit (then it is nearly 1,200 B,
      // and it ends with a range that may well cover even chunks). (A MISSING sent while some
      // were still on their way, on a busy machine, names them too: it is sent again as well.)
      const lost = (missingOf(got) ?? []).filter((i) => evens.has(i));
      if (lost.length === 0 || got.datagram.data.length >= MAX_REPLY - 20 || attempt === 5) break;
      await sendPaced(client, s.endpoint, lost.map((i) => all[i]!));
    }
    const size = got.datagram.data.length;
    const listed = typeof got.reply !== 'string' && got.reply.kind === 'MISSING' ? got.reply.indices : [];
    const forgotten = Array.from({ length: 350 }, (_, i) => 2 * i + 1).filter((i) => !listed.includes(i));
    const problem =
      typeof got.reply === 'string' ? `it is not a MISSING reply: ${got.reply}`
      : size > MAX_REPLY ? `it is ${bytes(size)}, over ${bytes(MAX_REPLY)}`
      : listed.some((i) => i >= count) ? `it lists indices up to ${Math.max(...listed)}, beyond the count of ${count}`
      : forgotten.length > 0 ? `it leaves out ${forgotten.length} chunks that never came (${showList(forgotten, 6)}): the sender would take them for arrived`
      : undefined;
    if (problem) {
      throw new CheckFailure({
        summary: `The MISSING reply is wrong: ${problem}.`,
        sent,
        expected: `"MISSING 304 1,3,5,…" cut to at most ${bytes(MAX_REPLY)}: when the list does not fit, the last range runs to 699 ("…,475,477-699"), so that every index left out has arrived`,
        got: `${describePayload(got.datagram.data)}`,
        log: logOf(s),
        hint: 'Build the list as ranges ("3-5" for 3, 4, 5), and when the next range would take the reply past 1,200 bytes, end it with a range from the next missing index to count - 1.',
      });
    }
    const { got: last } = await deliver(s, client, 304, all, `${sent}; then the odd ones`, { first: all.filter((_, i) => i % 2 === 1) });
    const whole = Buffer.alloc(count, 'x');
    if (textOf(last) !== done(304, whole)) {
      throw new CheckFailure({ summary: 'Transfer 304 did not end with its DONE once every chunk had come.', sent: `${sent}; then the odd ones`, expected: done(304, whole), got: describeGot(last, 0), log: logOf(s), hint: doneHint(last, 304, whole) });
    }
  } catch (err) {
    // Completed, transfer 304 leaves nothing in progress on this copy.
    await deliver(s, client, 304, all, 'transfer 304 again', { rounds: 3 }).catch(() => {});
    throw err;
  }
}

/**
 * Transfer 306: once per quiet spell, on a transfer of which one chunk came, so that nothing else
 * of it is on its way: one MISSING, and then silence (whatever transfer 304 does meanwhile).
 */
async function missingOnceRun(s: ServerProcess): Promise<void> {
  const client = await UdpClient.open();
  try {
    await client.send(chunk(306, 0, 3, 'a'), s.endpoint);
    const once = await expectReply(s, client, 306, 'MISSING 306 1-2', 'chunk 0 of transfer 306 (count 3), alone', (g) =>
      g ? 'MISSING lists the indices still to come, as ranges: chunks 1 and 2 are "1-2".' : `No MISSING within 2 s of silence (--quiet-gap ${GAP}).`,
    );
    // Long enough for many ticks of a server that sends one at every tick, however busy the
    // machine; a correct server sends nothing more, however long the wait (--idle is 10 s).
    const again = await replyAbout(s, client, 306, AGAIN_MS);
    if (again) {
      throw new CheckFailure({
        summary: 'The server sent MISSING again while nothing new had arrived.',
        sent: 'chunk 0 of transfer 306 (count 3), then nothing more',
        expected: `one MISSING, and no other until more chunks of transfer 306 come and it is quiet again (--quiet-gap ${GAP})`,
        got: `${describeGot(once, 0)}, then within ${AGAIN_MS} ms ${describeGot(again, 0)}`,
        log: logOf(s),
        hint: 'Remember that the MISSING was sent (a flag on the transfer), and clear the flag only when a chunk arrives. Otherwise a sender that has gone away gets a reply every few milliseconds for as long as the transfer is kept.',
      });
    }
    await sendPaced(client, s.endpoint, [chunk(306, 1, 3, 'b'), chunk(306, 2, 3, 'c')]);
    await expectReply(s, client, 306, done(306, Buffer.from('abc')), 'the three chunks of transfer 306', (g) => (g ? doneHint(g, 306, Buffer.from('abc')) : undefined));
  } catch (err) {
    // Completed, transfer 306 leaves nothing in progress on this copy.
    await sendPaced(client, s.endpoint, [chunk(306, 0, 3, 'a'), chunk(306, 1, 3, 'b'), chunk(306, 2, 3, 'c')]);
    throw err;
  }
}

/** 64 KB through the impairment proxy, to a copy of its own (see missingCopy). */
async function proxyRun(): Promise<void> {
  const s = await proxyCopy();
  markLogs(s);
  const proxy = await startProxy({ target: s.endpoint, up: { loss: 0.1, reorder: 0.05, duplicate: 0.02 }, seed: 5 });
  try {
    const client = await UdpClient.open();
    const data = seededData(501, 64 * 1024);
    const id = 501;
    const datagrams = chunksOf(id, data);
    const sent = `${bytes(data.length)} (${datagrams.length} chunks) as transfer ${id} through the proxy, which loses, reorders and duplicates datagrams on their way to the server (seed 5); the checker resends what MISSING names, and what is not acknowledged after 300 ms without a reply`;
    const { got } = await deliver(s, client, id, datagrams, sent, { rounds: 20, to: proxy.address, resendAfterMs: 300 });
    if (textOf(got) === done(id, data)) return;
    throw new CheckFailure({
      summary: `Transfer ${id} did not end with its DONE through a network that loses, reorders and duplicates.`,
      sent,
      expected: done(id, data),
      got: describeGot(got, 0),
      log: logOf(s),
      hint: doneHint(got, id, data),
    });
  } finally {
    await proxy.stop();
  }
}

/** A log line that says transfer `id` from `client` was dropped, in whatever words. */
const droppedLine = (id: number, client: UdpClient) => (line: string) =>
  line.includes(String(id)) && namesEndpoint(line, client) && /drop|idle|expire|forg|discard|abandon|gave up|give up|timed? ?out|stale/i.test(line);

/** --idle on the copy with short limits: the transfer is dropped, said in the log, and forgotten. */
async function idleRun(): Promise<void> {
  const s = await short();
  const client = await UdpClient.open();
  const mark = s.printed;
  await client.send(chunk(24_288, 0, 2, 'a'), s.endpoint);
  const dropped = droppedLine(24_288, client);
  const line = await lineSince(s, mark, dropped, SHORT.idle + 1500);
  const sent = `chunk 0 of transfer 24288 (count 2) from ${client.endpoint}, then silence, to ${s.shownAs} (--idle ${SHORT.idle})`;
  if (!line) {
    ensureRunning(s, `after ${sent}`);
    throw new CheckFailure({
      summary: 'No log line says that the idle transfer was dropped.',
      sent,
      expected: `within ${SHORT.idle} ms and a few more, a line that names transfer 24288 and ${client.endpoint}, e.g. "Dropped transfer 24288 from ${client.endpoint}, idle with 1 of 2 chunks"`,
      got: `no such line within ${SHORT.idle + 1500} ms`,
      log: logOf(s),
      hint: `In tick(), drop each transfer quiet for idleMs or more and log it with its id and its sender's address and port. ${FLAGS_HINT}`,
    });
  }
  const again = s.printed;
  await client.send(chunk(24_288, 1, 2, 'b'), s.endpoint);
  // The MISSING of before the drop ("MISSING 24288 1") may still be on its way: skipped.
  try {
    await expectReply(s, client, 24_288, 'MISSING 24288 0', `${sent}; after the log line, chunk 1`, (g) =>
      textOf(g)?.startsWith('DONE')
        ? 'It said the transfer was dropped, but completed it with the old chunk 0: delete the dropped transfer, so that its memory is freed.'
        : g
          ? 'Dropped, the transfer is forgotten: chunk 1 begins a new one, which lacks chunk 0.'
          : undefined,
    2000, 'MISSING 24288 1');
  } catch (err) {
    // On a loaded machine a correct server's timer can come after --idle (50 ms) instead of
    // after the quiet gap (20 ms): it then drops the new transfer too, before its MISSING 0.
    // That is a second drop line, and no DONE: the old chunk 0 was forgotten all the same.
    const completed = err instanceof CheckFailure && /DONE/.test(err.details.got ?? '');
    if (err instanceof CheckFailure && !completed && s.linesSince(again).some(dropped)) return;
    throw err;
  }
}

/** --done-memory on the copy with short limits: a DONE is forgotten once its time is up. */
async function memoryRun(): Promise<void> {
  const s = await short();
  const client = await UdpClient.open();
  const data = Buffer.from('abcd');
  await sendPaced(client, s.endpoint, [chunk(24_289, 0, 2, 'ab'), chunk(24_289, 1, 2, 'cd')]);
  await expectReply(s, client, 24_289, done(24_289, data), 'chunks 0 and 1 of transfer 24289', (g) => (g ? doneHint(g, 24_289, data) : undefined));
  await sleep(SHORT.memory + 50);
  const again = s.printed;
  await client.send(chunk(24_289, 0, 2, 'ab'), s.endpoint);
  const sent = `transfer 24289 complete, then after ${SHORT.memory + 50} ms its chunk 0 again, to ${s.shownAs} (--done-memory ${SHORT.memory})`;
  try {
    await expectReply(s, client, 24_289, 'MISSING 24289 1', sent, (g) =>
      textOf(g)?.startsWith('DONE')
        ? `It still remembered the transfer after --done-memory (${SHORT.memory} ms): a server that never forgets keeps a little memory for every transfer ever made, and a stranger can fill it. Forget each DONE when its time is up (in tick()). ${FLAGS_HINT}`
        : g
          ? 'Forgotten, the transfer is new again: chunk 0 begins it, and after the quiet gap MISSING names chunk 1.'
          : undefined,
    );
  } catch (err) {
    // On a loaded machine a correct server's timer can come after --idle (50 ms) instead of
    // after the quiet gap (20 ms): it then drops the new transfer before its MISSING 1. A
    // line saying so, and no DONE, shows the old one forgotten all the same (as in the
    // idle check above).
    const remembered = err instanceof CheckFailure && /DONE/.test(err.details.got ?? '');
    const dropped = droppedLine(24_289, client);
    if (err instanceof CheckFailure && !remembered && s.linesSince(again).some(dropped)) return;
    throw err;
  }
  await client.send(chunk(24_289, 1, 2, 'cd'), s.endpoint);
  await replyAbout(s, client, 24_289, 500);
}

const MISSING_CHECK = 'keeps MISSING within 1,200 B, naming every chunk still to come, once per quiet gap';
const PROXY_CHECK = 'completes 64 KB from a sender behind the impairment proxy (seeded: 10 % loss, 5 % reordering, 2 % duplicates)';
/**
 * Copies of the shared server (the same flags) for the two server checks that take longest,
 * which run early, beside the others: a server of their own each, so that no transfer of theirs is
 * in progress where another check counts them (BUSY) or reads the log.
 */
const missingCopy = labServer(SLUG, { args: ['--quiet-gap', String(GAP)] });
const proxyCopy = labServer(SLUG, { args: ['--quiet-gap', String(GAP)] });

// ---- the checks ----

describe('lab 05: large datagrams', () => {
  beforeAll(() => {
    // The server; once it is up, the copy with short time limits (whose two checks that wait
    // run early, side by side) and the two copies whose checks run early; the probe, and
    // sendLarge()'s checks, which run while the server's are judged.
    void server().then((s) => (started.shared = s), () => {});
    const up = server().catch(() => {});
    const shortUp = SHORT_CHECKS.some((check) => willRun(check)) ? up.then(() => short()).catch(() => {}) : up;
    early.start(MISSING_CHECK, missingRun);
    early.start(PROXY_CHECK, proxyRun, [up]);
    early.start(IDLE_CHECK, idleRun, [shortUp]);
    early.start(MEMORY_CHECK, memoryRun, [shortUp]);
    if (!checkContext().server) void probe({ skip: () => {} }).call('warm', [], { timeoutMs: 10_000 }).catch(() => {});
    startClientChecks();
  });
  beforeEach(() => markLogs(started.shared, started.short));

  describe('the server', () => {
    it('answers a one-chunk transfer with "DONE <id> <bytes> <sha256>"', async () => {
      await exchange({
        server: await server(),
        send: chunk(7, 0, 1, 'hello'),
        expect: done(7, Buffer.from('hello')),
        hint: (got) =>
          got
            ? 'For id 7 and the 5 bytes "hello": "DONE 7 5 " and the SHA-256 of the data in 64 lowercase hex digits, one line of ASCII, no newline.'
            : 'Parse the 12-byte header (id, index, count: big-endian u32), keep the payload, and when all `count` chunks are there, reply DONE to rinfo.address and rinfo.port. ' + FLAGS_HINT,
      });
    });

    it('reassembles 0, 1, 1,199, 1,200, 1,201 and 65,537 bytes exactly', async () => {
      const s = await server();
      const client = await UdpClient.open();
      for (const [i, size] of [0, 1, 1199, 1200, 1201, 65_537].entries()) {
        await expectExact(s, client, 100 + i, seededData(100 + i, size), `${bytes(size)} of seeded bytes`);
      }
    });

    it('reassembles 1 MiB (874 chunks) exactly', async () => {
      const s = await server();
      await expectExact(s, await UdpClient.open(), 200, seededData(200, MIB), '1 MiB of seeded bytes, paced at 16 chunks a millisecond');
    });

    it('keeps the bytes exact when a UTF-8 character is split between two chunks', async () => {
      const s = await server();
      const text = Buffer.from(straddlingText(), 'utf8');
      await expectExact(s, await UdpClient.open(), 201, text, `${bytes(text.length)} of UTF-8 text with "€" across bytes 1,199–1,201 and "🎉" across 2,399–2,402`);
    });

    it('reassembles chunks that arrive in any order (seeded shuffle)', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const data = seededData(300, 40 * 1200 - 17);
      const datagrams = chunksOf(300, data);
      const random = seededRandom(300);
      const order = datagrams.map((_, i) => i).sort(() => random() - 0.5);
      // Shuffle properly (Fisher–Yates), seeded: the sort above only seeds a first mix.
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      await sendPaced(client, s.endpoint, order.map((i) => datagrams[i]!));
      const sent = `the 40 chunks of transfer 300 (${bytes(data.length)}) in the order ${order.slice(0, 8).join(', ')}, …`;
      await expectReply(s, client, 300, done(300, data), sent, (got) =>
        got ? doneHint(got, 300, data) ?? 'The DONE must come only when all 40 have arrived.' : 'Store each payload under its index, whatever order they come in; the first to arrive need not be index 0.',
      );
    });

    it('answers DONE exactly once when duplicates come before the last chunk', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const data = seededData(301, 20 * 1200);
      const datagrams = chunksOf(301, data);
      const random = seededRandom(301);
      // Every chunk but the last, once or twice more, all shuffled; then the last one.
      const before: Buffer[] = [];
      for (const d of datagrams.slice(0, -1)) for (let n = 1 + Math.floor(random() * 3); n > 0; n--) before.push(d);
      for (let i = before.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [before[i], before[j]] = [before[j]!, before[i]!];
      }
      await sendPaced(client, s.endpoint, [...before, datagrams.at(-1)!]);
      const sent = `${before.length} datagrams of chunks 0–18 of transfer 301 (each once to three times, shuffled), then chunk 19, the last`;
      await expectReply(s, client, 301, done(301, data), sent, (got) =>
        got && typeof got.reply !== 'string' && got.reply.kind === 'DONE' && got.reply.bytes !== data.length
          ? 'It finished early: a transfer is complete when every index is there, not after `count` datagrams. Count distinct indices (a Map keyed by index, and its size).'
          : got
            ? doneHint(got, 301, data)
            : 'Nothing came back. Did completing the transfer throw (a missing chunk joined as undefined)? A duplicate must never count as another chunk.',
      );
      const extra = await replyAbout(s, client, 301, 2 * GAP);
      if (!extra) return;
      throw new CheckFailure({
        summary: 'A second reply came after the DONE, with no chunk sent after the one that completed the transfer.',
        sent,
        expected: `one "DONE 301 …", and nothing more`,
        got: `then ${describeGot(extra, 0)}`,
        log: logOf(s),
        hint: 'Reply DONE once, from the chunk that completes the transfer, and forget the transfer (keeping only its DONE, for late duplicates): a transfer still in progress would also get a MISSING.',
      });
    });

    it('never lets a duplicate stand in for a missing chunk: MISSING names the hole', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const data = seededData(302, 6 * 1200);
      const datagrams = chunksOf(302, data);
      const holed = [0, 1, 2, 4, 5, 1].map((i) => datagrams[i]!);
      await sendPaced(client, s.endpoint, holed);
      const sent = `chunks 0, 1, 2, 4, 5 of transfer 302 (count 6), then chunk 1 again: 6 datagrams, chunk 3 never`;
      await expectReply(s, client, 302, 'MISSING 302 3', sent, (got) =>
        got && typeof got.reply !== 'string' && got.reply.kind === 'DONE'
          ? 'It counted six datagrams as six chunks: the duplicate of chunk 1 stood in for chunk 3. Count distinct indices, not arrivals.'
          : got
            ? 'After the quiet gap, MISSING lists exactly the indices still to come: "MISSING 302 3".'
            : `No MISSING within 2 s of silence (the server runs with --quiet-gap ${GAP}). Check each transfer every few milliseconds (setInterval, calling tick()) and reply MISSING once it has been quiet for the gap.`,
      );
      await sendPaced(client, s.endpoint, [datagrams[3]!]);
      await expectReply(s, client, 302, done(302, data), `${sent}; after the MISSING, chunk 3`, (got) => (got ? doneHint(got, 302, data) : 'Once the hole is filled, the transfer is complete: reply DONE.'));
    });

    it('recovers when the first chunk is lost: MISSING 0, then DONE', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const data = seededData(303, 4 * 1200 - 5);
      const datagrams = chunksOf(303, data);
      await sendPaced(client, s.endpoint, datagrams.slice(1));
      const sent = 'chunks 1, 2 and 3 of transfer 303 (count 4): the first one lost';
      await expectReply(s, client, 303, 'MISSING 303 0', sent, (got) =>
        got
          ? 'MISSING lists exactly the indices still to come: "MISSING 303 0".'
          : 'A transfer starts with whichever of its chunks comes first: every chunk carries the id and the count, so none is special. After the quiet gap, reply MISSING.',
      );
      await sendPaced(client, s.endpoint, [datagrams[0]!]);
      await expectReply(s, client, 303, done(303, data), `${sent}; after the MISSING, chunk 0`, (got) => (got ? doneHint(got, 303, data) : undefined));
    });

    it(MISSING_CHECK, () => early.take(MISSING_CHECK, missingRun));

    it('answers a late duplicate of a completed transfer with the same DONE', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const data = seededData(305, 1500);
      const [first, second] = chunksOf(305, data) as [Buffer, Buffer];
      const want = done(305, data);
      await sendPaced(client, s.endpoint, [first, second]);
      await expectReply(s, client, 305, want, 'chunks 0 and 1 of transfer 305 (count 2)', (g) => (g ? doneHint(g, 305, data) : undefined));
      for (const [name, d] of [['chunk 1', second], ['chunk 0', first]] as const) {
        await client.send(d, s.endpoint);
        await expectReply(s, client, 305, want, `${name} of transfer 305 again, after its DONE: its sender may not have got the DONE`, (g) =>
          g
            ? 'Remember each completed transfer (for 30 s, --done-memory) with its DONE, and answer any chunk of it with that same DONE, without delivering it again.'
            : 'The DONE can be lost on its way back, and then the sender sends chunks again: answer them with the same DONE. Keep it for --done-memory ms (default 30 s).',
        );
      }
    });

    it('keeps apart two senders on one address that use the same transfer id', async () => {
      const s = await server();
      const [a, b] = await Promise.all([UdpClient.open(), UdpClient.open()]);
      await expectTwo(s, a, b, 42, 42, `from ${a.endpoint} and ${b.endpoint}, both transfer 42`, 'Two programs on one machine share an address: only the port tells them apart. Key each transfer by rinfo.address, rinfo.port and the id.');
    });

    it("keeps apart one sender's two transfers at once", async () => {
      const s = await server();
      const a = await UdpClient.open();
      await expectTwo(s, a, a, 51, 52, `transfers 51 and 52, both from ${a.endpoint}`, 'One sender may run several transfers at once: the id is part of the key.');
    });

    it('keeps apart the same port on two addresses (127.0.0.1 and 127.0.0.2)', async (ctx) => {
      const s = await server();
      const a = await UdpClient.open('127.0.0.1');
      let b: UdpClient;
      try {
        b = await UdpClient.openAt('127.0.0.2', a.port);
      } catch {
        return ctx.skip('this system has no 127.0.0.2 (macOS has only 127.0.0.1), so the address is not checked as part of the key');
      }
      await expectTwo(s, a, b, 61, 61, `from ${a.endpoint} and ${b.endpoint}, both transfer 61`, 'Two machines may use the same port: key each transfer by rinfo.address too, not by the port and id alone.');
    });

    it('answers BUSY to a 65th transfer in progress, and takes new ones once one ends', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const firsts = Array.from({ length: 64 }, (_, i) => chunk(1000 + i, 0, 2, 'a'));
      const sent = `chunk 0 of 64 transfers (ids 1000–1063, count 2 each), then a one-chunk transfer 1064`;
      try {
        await sendPaced(client, s.endpoint, firsts);
        await client.send(chunk(1064, 0, 1, 'z'), s.endpoint);
        const got = await replyAbout(s, client, 1064, 2000);
        const early = client.inbox.filter((d) => {
          const m = /^BUSY (\d+)$/.exec(d.data.toString('latin1'));
          return m && Number(m[1]) >= 1000 && Number(m[1]) < 1064;
        });
        if (textOf(got) !== 'BUSY 1064' || early.length > 0) {
          if (!got) ensureRunning(s, `after ${sent}`);
          throw new CheckFailure({
            summary: early.length > 0 ? `The server answered BUSY before 64 transfers were in progress.` : 'The 65th transfer in progress was not answered BUSY.',
            sent,
            expected: 'no reply to the first 64 (each has only begun), then "BUSY 1064"',
            got: early.length > 0 ? `${early.map((d) => describePayload(d.data)).slice(0, 3).join(', ')}` : describeGot(got, 2000),
            log: logOf(s),
            hint:
              textOf(got)?.startsWith('DONE')
                ? 'At most 64 transfers may be in progress: otherwise a stranger can make the server keep 1.2 MB for each of as many transfers as it likes. A chunk that would start a 65th gets "BUSY <id>".'
                : `Count the transfers still incomplete (the size of your Map) and answer BUSY when a 65th would begin; completed ones do not count.${early.length > 0 ? ' (If an earlier check failed, it may have left a transfer in progress: fix that one first.)' : ''}`,
          });
        }
        // One ends, and there is room again.
        await client.send(chunk(1000, 1, 2, 'b'), s.endpoint);
        await expectReply(s, client, 1000, done(1000, Buffer.from('ab')), `${sent}; then the second chunk of transfer 1000`, (g) => (g ? doneHint(g, 1000, Buffer.from('ab')) : undefined));
        await client.send(chunk(1064, 0, 1, 'z'), s.endpoint);
        await expectReply(s, client, 1064, done(1064, Buffer.from('z')), `${sent}; once transfer 1000 was complete, transfer 1064 again`, (g) =>
          g ? 'A transfer that completes no longer counts as in progress: delete it from the Map, and there is room for a new one.' : undefined,
        );
      } finally {
        // Whatever happened, the 64 are completed: left in progress, they would make the checks
        // after this one BUSY.
        await sendPaced(client, s.endpoint, Array.from({ length: 64 }, (_, i) => chunk(1000 + i, 1, 2, 'b')));
        await replyAbout(s, client, 1063, 500);
      }
    });

    it(PROXY_CHECK, () => early.take(PROXY_CHECK, proxyRun));

    it('answers a count of 0, of 1,025 or of 2³²−1 with ERROR, and still serves', async () => {
      const s = await server();
      const client = await UdpClient.open();
      for (const [id, count, what] of [[401, 0, 'a count of 0'], [402, 1025, 'a count of 1,025, over the cap of 1,024'], [403, 2 ** 32 - 1, 'a count of 4,294,967,295']] as const) {
        await client.send(chunk(id, 0, count, 'x'), s.endpoint);
        await expectReply(s, client, id, errorFor(id), `chunk 0 of transfer ${id} with ${what}`, (g) =>
          g ? `Answer "ERROR ${id} <reason>": the id, a space, and any reason.` : ERROR_HINT(id, 'a count from 1 to 1,024, before any array or Buffer is made of that size'),
        );
      }
      await expectStillServing(s, 'counts of 0, 1,025 and 4,294,967,295');
      // The largest legal transfer is accepted: its first chunk gets no ERROR. (It stays in
      // progress until the server drops it, idle; no check after this one counts transfers.)
      await client.send(chunk(404, 0, 1024, 'x'), s.endpoint);
      await client.send(chunk(7, 0, 1, 'hello'), s.endpoint);
      // The server answers in order: by the time the DONE of transfer 7 comes, an ERROR about
      // 404 would have come before it.
      const sentinel = await replyAbout(s, client, 7, 2000);
      const refused = takeAll(s, client, 404).find((g) => typeof g.reply !== 'string' && g.reply.kind !== 'MISSING');
      const first = refused ?? sentinel;
      if (!refused && textOf(sentinel) === done(7, Buffer.from('hello'))) return;
      if (!first) ensureRunning(s, 'after a chunk with a count of 1,024');
      throw new CheckFailure({
        summary: refused ? 'A transfer of 1,024 chunks, the largest allowed, was refused.' : 'After a chunk with a count of 1,024, a one-chunk transfer got no DONE.',
        sent: `chunk 0 of transfer 404 with a count of 1,024, then a one-chunk transfer 7 ("hello")`,
        expected: `no reply about 404 (it has just begun), then ${done(7, Buffer.from('hello'))}`,
        got: describeGot(first, 2000),
        log: logOf(s),
        hint: refused ? 'The cap is inclusive: counts from 1 to 1,024 are valid (`count > 1024` is the error, not `>=`).' : 'A count of 1,024 is valid: store the chunk and wait for the others, without building anything of that size.',
      });
    });

    it('answers an index not below its count with ERROR', async () => {
      const s = await server();
      const client = await UdpClient.open();
      for (const [id, index, count] of [[411, 5, 5], [412, 2 ** 32 - 1, 3]] as const) {
        await client.send(chunk(id, index, count, 'x'), s.endpoint);
        await expectReply(s, client, id, errorFor(id), `chunk ${index} of transfer ${id} with a count of ${count}: indices run from 0 to ${count - 1}`, (g) =>
          g ? `Answer "ERROR ${id} <reason>".` : ERROR_HINT(id, 'an index below the count'),
        );
      }
      await expectStillServing(s, 'indices past their count');
    });

    it('answers a chunk of more than 1,200 B of payload with ERROR', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const big = chunk(421, 0, 2, Buffer.alloc(1201, 'x'));
      await client.send(big, s.endpoint);
      await expectReply(s, client, 421, errorFor(421), `chunk 0 of transfer 421 (count 2) with 1,201 B of payload: a datagram of 1,213 B`, (g) =>
        g ? 'Answer "ERROR 421 <reason>".' : ERROR_HINT(421, 'a payload of at most 1,200 B: msg.length - 12'),
      );
      await expectStillServing(s, 'an oversized chunk');
    });

    it('answers a datagram shorter than the 12-byte header with "ERROR -"', async () => {
      const s = await server();
      const client = await UdpClient.open();
      for (const d of [Buffer.from('00000001000000000000', 'hex'), Buffer.alloc(0)]) {
        await client.send(d, s.endpoint);
        await expectReply(s, client, '-', errorFor('-'), describePayload(d), (g) =>
          g ? 'A datagram too short to hold an id is answered "ERROR - <reason>": a dash where the id would be.' : `Check msg.length >= 12 before reading the header: readUInt32BE past the end throws a RangeError.`,
        );
      }
      await expectStillServing(s, 'datagrams of 10 and 0 bytes');
    });

    it('answers a count that changes mid-transfer with ERROR, and the transfer goes on', async () => {
      const s = await server();
      const client = await UdpClient.open();
      const data = seededData(431, 3000);
      const datagrams = chunksOf(431, data);
      const liar = chunk(431, 1, 4, Buffer.alloc(1200, 'L'));
      await sendPaced(client, s.endpoint, [datagrams[0]!, liar]);
      const sent = 'chunk 0 of transfer 431 with a count of 3, then a chunk 1 that says the count is 4';
      await expectReply(s, client, 431, errorFor(431), sent, (g) =>
        g ? 'Answer the chunk whose count differs with "ERROR 431 <reason>", and nothing else.' : 'A transfer keeps the count it began with: a chunk that says otherwise is invalid. Answer "ERROR 431 <reason>".',
      );
      await sendPaced(client, s.endpoint, datagrams.slice(1));
      await expectReply(s, client, 431, done(431, data), `${sent}; then the real chunks 1 and 2 (count 3)`, (g) =>
        g && typeof g.reply !== 'string' && g.reply.kind === 'DONE'
          ? "The transfer must go on as if the bad chunk never came: don't store its payload, and don't change the transfer's count."
          : g
            ? doneHint(g, 431, data)
            : 'The bad chunk must not end or spoil the transfer: refuse it, and go on with the good ones.',
      );
    });

    it('prints "UDP server listening on HOST:PORT" with the port it really bound', async () => {
      const s = await short();
      const bound = boundPorts(s.child.pid);
      if (s.port !== 0 && (bound.length === 0 || bound.includes(s.port))) return;
      throw new CheckFailure({
        summary: `Started with --port 0, the server says it listens on port ${s.port}${bound.length > 0 ? `, but it is bound to port ${bound.join(', ')}` : ''}.`,
        sent: `${s.shownAs} --port 0 --host 127.0.0.1, where the operating system chooses the port`,
        expected: 'the port the operating system chose, read from socket.address().port once bound',
        got: s.log.find((l) => l.includes('UDP server listening')) ?? '',
        hint: 'Print socket.address().port in the listening handler, not the number you asked for: with --port 0 they differ.',
      });
    });

    it(IDLE_CHECK, () => early.take(IDLE_CHECK, idleRun));

    it(MEMORY_CHECK, () => early.take(MEMORY_CHECK, memoryRun));
  });

  describe('sendLarge()', () => {
    clientIt('sends 5 bytes and resolves once the DONE matches', async (ctx) => {
      const ref = await ReferenceServer.open();
      const call = callSend(ctx, ref, 5, 11, { timeoutMs: 1000 });
      await expectDelivered(ref, call, await call.outcome, seededData(11, 5));
    });

    clientIt('sends 0, 1, 1,199, 1,200, 1,201 and 65,537 bytes exactly', async (ctx) => {
      const ref = await ReferenceServer.open();
      for (const [i, size] of [0, 1, 1199, 1200, 1201, 65_537].entries()) {
        const call = callSend(ctx, ref, size, 20 + i, { timeoutMs: 1000 });
        const o = await call.outcome;
        const data = seededData(20 + i, size);
        await expectDelivered(ref, call, o, data);
      }
    });

    clientIt('sends 1 MiB exactly', async (ctx) => {
      const { ref, call, outcome } = await mib(ctx);
      await expectDelivered(ref, call, outcome, seededData(1, MIB));
    });

    clientIt('sends chunks as the wire format says: a 12-byte header and at most 1,200 B of payload', async (ctx) => {
      const { ref, call, outcome } = await mib(ctx);
      expectSettled(call, outcome, 'resolved');
      if (ref.problems.length === 0) return;
      throw new CheckFailure({
        summary: `sendLarge() sent ${ref.problems.length === 1 ? 'a datagram' : 'datagrams'} that the wire format does not allow.`,
        sent: call.shown,
        expected: 'datagrams of at most 1,212 B: the header (id, index, count, big-endian u32s) and at most 1,200 B of payload, every chunk of a transfer with the same count',
        got: ref.problems.join('\n'),
        hint: 'Over 1,200 bytes of payload, a datagram may not cross a real network whole (it is cut into IP fragments, and one lost fragment loses it all). Cut the data into chunks of MAX_PAYLOAD = 1,200 bytes.',
      });
    });

    clientIt('paces its chunks, so that the receive buffer is not overrun', async (ctx) => {
      const { ref, call, outcome } = await mib(ctx);
      expectSettled(call, outcome, 'resolved');
      const value = outcome.settled === 'resolved' ? (outcome.value as { ms?: number; pacing?: Pacing } | undefined) : undefined;
      // A call that failed still handed its chunks over: the driver kept how.
      const kept = value ? undefined : await probe(ctx).call('lastPacing', [], { timeoutMs: 2000 });
      const pacing = value?.pacing ?? (kept?.settled === 'resolved' ? (kept.value as Pacing | undefined) : undefined);
      const chunks = chunkCount(MIB);
      // The rule: at most BURST = 16 chunks, then a pause of 1 ms. Allowed: four times as many in
      // one go, and a quarter of the waiting (timers may fire early by a fraction of a millisecond).
      const maxInOneGo = 4 * 16;
      const leastIdle = Math.floor((chunks / 16) * 0.25);
      const rule = `at most 16 chunks at a time, then a pause (BURST = 16, then \`await setTimeout(PAUSE_MS)\`): ${chunks} chunks need ${Math.ceil(chunks / 16) - 1} pauses`;
      const hint = `Its chunks left faster than a receiver reads them. A server with Linux's default receive buffer (212,992 B) holds about 90 of these datagrams; the kernel drops the rest of a burst without a word (about half of 874 on loopback), and every one of them must be sent again. Send BURST chunks, then \`await setTimeout(PAUSE_MS)\` (node:timers/promises), and repeat. Awaiting each send's callback, or setImmediate, lets no time pass: the receiver needs time, not turns of your event loop.`;
      if (pacing) {
        const problem =
          pacing.maxPerTurn > maxInOneGo ? `it handed ${pacing.maxPerTurn} chunks to socket.send() in one go (one turn of its event loop)`
          : pacing.idleMs < leastIdle ? `its event loop never paused for long: it waited ${pacing.idleMs.toFixed(1)} ms in all while sending ${pacing.chunks} chunks over ${Math.round(pacing.ms)} ms`
          : undefined;
        if (!problem) return;
        throw new CheckFailure({
          summary: `sendLarge() did not pace the first round of 1 MiB: ${problem}.`,
          sent: call.shown,
          expected: rule,
          got: `${pacing.chunks} chunks in ${Math.round(pacing.ms)} ms, over ${pacing.turns} turn${pacing.turns === 1 ? '' : 's'} of the event loop (at most ${pacing.maxPerTurn} in one), with ${pacing.idleMs.toFixed(1)} ms of waiting; the reference server, with a 4 MiB receive buffer, received ${ref.arrivals.length} datagrams`,
          hint,
        });
      }
      // Not measured (its socket was made before the check began): the time is the evidence.
      const ms = value?.ms ?? outcome.ms;
      const least = Math.floor(chunks / 64);
      if (ms >= least) return;
      throw new CheckFailure({
        summary: `sendLarge() sent 1 MiB in ${Math.round(ms)} ms: ${Math.round(chunks / Math.max(1, ms))} chunks a millisecond, a burst.`,
        sent: call.shown,
        expected: rule,
        got: describeOutcome(outcome),
        hint,
      });
    });

    clientIt('resends exactly the chunks that MISSING names', async (ctx) => {
      const random = seededRandom(40);
      const lost = new Set<number>();
      const ref = await ReferenceServer.open({
        // MISSING the moment the first round is over; after 100 ms of quiet too, should loopback
        // itself lose a chunk (then no round is ever "over").
        quietGapMs: 100,
        missingAfterPass: true,
        drop: ({ index, seen }) => {
          if (seen > 0 || random() >= 0.1) return false;
          lost.add(index);
          return true;
        },
      });
      const call = callSend(ctx, ref, 100 * 1200, 41, { timeoutMs: 3000 });
      const o = await call.outcome;
      await ref.drained();
      await expectDelivered(ref, call, o, seededData(41, 100 * 1200), 'It lost the chunks MISSING named: send each chunk that MISSING lists again, and wait for the next reply.');
      const missing = ref.replies.filter((r) => r.text.startsWith('MISSING'));
      const named = new Set(missing.flatMap((r) => parseNamed(r.text)));
      const resent = ref.since(missing[0]?.at ?? Infinity).map((a) => a.index!);
      const unasked = [...new Set(resent.filter((i) => !named.has(i)))];
      if (unasked.length === 0) return;
      throw new CheckFailure({
        summary: `After MISSING named ${named.size} chunks, sendLarge() sent ${resent.length} datagrams, ${unasked.length} of them for chunks the server already had.`,
        sent: `${call.shown}; the reference server lost ${lost.size} of the first 100 chunks on purpose (${showList([...lost])}) and answered "${missing[0]?.text ?? 'MISSING'}"`,
        expected: `only the chunks it named, ${showList([...named])}, sent again`,
        got: `chunks ${showList(resent)} (${resent.length} datagrams)`,
        hint: 'Every chunk that MISSING leaves out has arrived: after a MISSING, the chunks still to send are exactly those it lists. Resending everything wastes the network and the server.',
      });
    });

    clientIt('sends again what is not acknowledged when no reply comes within timeoutMs', async (ctx) => {
      // Every chunk of the first round is lost, and nothing is answered: only a timer can help.
      const ref = await ReferenceServer.open({ quietGapMs: null, drop: ({ seen }) => seen === 0 });
      const call = callSend(ctx, ref, 10 * 1200, 42, { timeoutMs: 40, maxRounds: 30 });
      await expectDelivered(ref, call, await call.outcome, seededData(42, 10 * 1200),
        'Every chunk of the first round was lost, so no reply came. When nothing comes within timeoutMs, send again every chunk not yet acknowledged (all of them, before any MISSING) and wait again, up to maxRounds rounds.');
    });

    clientIt('sends again when its DONE is lost, and resolves on the next DONE', async (ctx) => {
      const ref = await ReferenceServer.open({ reply: (text, n) => (text.startsWith('DONE') && n === 1 ? null : text) });
      const call = callSend(ctx, ref, 10 * 1200, 43, { timeoutMs: 40, maxRounds: 30 });
      await expectDelivered(ref, call, await call.outcome, seededData(43, 10 * 1200),
        'The server had every chunk, but its first DONE was lost. A sender cannot tell that from lost chunks: after timeoutMs with no reply, send again what is not acknowledged; the server answers a chunk of a completed transfer with its DONE again.');
    });

    clientIt('ignores replies from other ports and addresses, and about other transfers', async (ctx) => {
      const ref = await ReferenceServer.open({ reply: (text) => (text.startsWith('DONE') ? null : text) });
      const stranger = await UdpClient.open();
      let twin: UdpClient | undefined;
      try {
        twin = await UdpClient.openAt('127.0.0.2', ref.port);
      } catch {
        twin = undefined; // no 127.0.0.2 here (macOS): that part is left out
      }
      const data = seededData(44, 3000);
      const call = callSend(ctx, ref, data.length, 44, { timeoutMs: 1000, maxRounds: 5 });
      // Until the data is in, or the call is over (it runs in a process of its own, which a busy
      // machine may be slow to start): within the call's own time limit.
      const complete = await ref.until(() => ref.completed.size > 0, 5000 + 2000, call.outcome);
      const forged: string[] = [];
      if (complete && ref.client) {
        const id = ref.arrivals[0]!.id!;
        const wrong = `DONE ${id} ${data.length} ${'0'.repeat(64)}`;
        const other = (id + 1) % 2 ** 32;
        await stranger.send(wrong, ref.client);
        forged.push(`"${wrong}" from ${stranger.endpoint}`);
        if (twin) {
          await twin.send(wrong, ref.client);
          forged.push(`the same from ${twin.endpoint}`);
        }
        for (const text of [`ERROR ${other} not yours`, `DONE ${other} 1 ${'f'.repeat(64)}`]) {
          await ref.sendRaw(text, ref.client);
          forged.push(`"${text}" from the server`);
        }
        await sleep(20);
        await ref.sendRaw(done(id, data), ref.client);
      }
      const o = await call.outcome;
      await expectDelivered(ref, call, o, data, forged.length > 0
        ? `It took one of the forged replies (${forged.join('; ')}) for the server's. A reply counts only if it comes from the address and port sendLarge() sent to, and names this transfer's id.`
        : 'The reference server never had the whole transfer: send every chunk, each with the transfer id, its index and the chunk count.');
    });

    clientIt('rejects a DONE whose length or SHA-256 is not the data\'s', async (ctx) => {
      for (const [what, change] of [
        ['a wrong SHA-256', (t: string) => t.replace(/[0-9a-f]{64}$/, '0'.repeat(64))],
        ['a length one byte short', (t: string) => t.replace(/^DONE (\d+) (\d+)/, (_, id: string, n: string) => `DONE ${id} ${Number(n) - 1}`)],
      ] as const) {
        const ref = await ReferenceServer.open({ reply: (text) => (text.startsWith('DONE') ? change(text) : text) });
        const call = callSend(ctx, ref, 2500, 45, { timeoutMs: 3000, maxRounds: 2 });
        const o = await call.outcome;
        expectSettled(call, o, 'rejected at once');
        await ref.drained();
        // "At once": before a second round. A sender that ignored the DONE would wait timeoutMs,
        // send its 3 chunks again, and get the same DONE.
        if (o.settled === 'rejected' && ref.arrivals.length <= 3) continue;
        throw new CheckFailure({
          summary: `sendLarge() ${o.settled === 'resolved' ? 'resolved on' : 'did not reject at once on'} a DONE with ${what}.`,
          sent: `${call.shown}; the reference server assembled the data, but answered "${ref.replies.find((r) => r.text.startsWith('DONE'))?.text ?? 'DONE …'}"`,
          expected: 'rejected at once (code MISMATCH): the server holds something other than what was sent',
          got: `${describeOutcome(o)}; the reference server received ${ref.arrivals.length} datagrams`,
          hint: o.settled === 'resolved'
            ? "Resolve only when the DONE's length is the data's length and its SHA-256 is the data's (createHash('sha256').update(data).digest('hex'))."
            : 'A DONE about this transfer is the final answer, right or wrong: a wrong one is a failure to report now, not a reply to ignore.',
        });
      }
    });

    clientIt('stops at once, with the reason, when the server answers ERROR or BUSY', async (ctx) => {
      for (const kind of ['ERROR', 'BUSY'] as const) {
        const ref = await ReferenceServer.open({
          // No MISSING (a busy checker may leave a gap between chunks): its only reply is this one.
          quietGapMs: null,
          reply: (text) => (text.startsWith('DONE') ? (kind === 'ERROR' ? `ERROR ${text.split(' ')[1]} refused on purpose` : `BUSY ${text.split(' ')[1]}`) : text),
        });
        const call = callSend(ctx, ref, 2500, 46, { timeoutMs: 3000, maxRounds: 2 });
        const o = await call.outcome;
        expectSettled(call, o, 'rejected at once');
        await ref.drained();
        const reason = kind === 'ERROR' ? /refused on purpose/ : /busy/i;
        // "At once": before a second round of the 3 chunks.
        const once = o.settled === 'rejected' && ref.arrivals.length <= 3;
        if (once && reason.test(o.error.message)) continue;
        throw new CheckFailure({
          summary: `sendLarge() did not stop with a clear error when the server answered ${kind}.`,
          sent: `${call.shown}; the reference server answered "${ref.replies[0]?.text ?? kind}"`,
          expected: `rejected at once, with an error whose message ${kind === 'ERROR' ? 'carries the reason, "refused on purpose"' : 'says the server is busy'}`,
          got: `${describeOutcome(o)}; the reference server received ${ref.arrivals.length} datagrams`,
          hint: once
            ? `Put the server's ${kind === 'ERROR' ? 'reason' : 'answer'} in the error message: whoever reads it must know why the transfer failed.`
            : `${kind} about this transfer is final: sending again will not change it. Reject at once.`,
        });
      }
    });

    clientIt('gives up after maxRounds rounds when the server never answers, and closes its socket', async (ctx) => {
      const ref = await ReferenceServer.open({ silent: true });
      const options = { timeoutMs: 30, maxRounds: 3 };
      const call = callSend(ctx, ref, 3 * 1200, 47, options, { openAfterMs: OPEN_AFTER_MS });
      const o = await call.outcome;
      expectSettled(call, o, 'rejected after about 3 × 30 ms');
      await ref.drained();
      const n = ref.arrivals.length;
      const bound = options.maxRounds * options.timeoutMs + 1500;
      const problem =
        o.settled === 'resolved' ? 'it resolved, though no DONE ever came'
        : o.ms > bound ? `it took ${o.ms} ms`
        : n > 3 * options.maxRounds ? `it sent ${n} datagrams, more than ${options.maxRounds} rounds of 3 chunks`
        : n <= 3 ? `it sent ${n} datagram${n === 1 ? '' : 's'}: it gave up without sending again`
        : undefined;
      if (problem) {
        throw new CheckFailure({
          summary: `sendLarge() did not give up as it should when no reply came: ${problem}.`,
          sent: `${call.shown}, to a server that receives everything and never answers`,
          expected: `${options.maxRounds} rounds of the 3 chunks (one every ${options.timeoutMs} ms), then rejected (code GAVE_UP) within ${bound} ms`,
          got: `${describeOutcome(o)}; the server received ${n} datagrams`,
          hint: 'Count the rounds: send, wait timeoutMs, and after maxRounds rounds without a DONE, reject with an error that says so.',
        });
      }
      const left = o.open.filter((r) => /^(udpwrap|timeout)$/i.test(r));
      if (left.length === 0) return;
      throw new CheckFailure({
        summary: `After giving up, sendLarge() left ${left.join(' and ')} open: a program that calls it would not end.`,
        sent: `${call.shown}, to a server that never answers`,
        expected: `nothing of sendLarge() still open ${OPEN_AFTER_MS} ms after it rejected`,
        got: `${left.join(', ')} still open`,
        hint: 'Close the socket on every way out (a `finally` around the rounds), and clear the timer of the last wait.',
      });
    });

    clientIt('closes its socket and timers once the DONE has come', async (ctx) => {
      const ref = await ReferenceServer.open();
      const call = callSend(ctx, ref, 2500, 48, { timeoutMs: 1000 }, { openAfterMs: OPEN_AFTER_MS });
      const o = await call.outcome;
      await expectDelivered(ref, call, o, seededData(48, 2500));
      const left = (o as { open: string[] }).open.filter((r) => /^(udpwrap|timeout)$/i.test(r));
      if (left.length === 0) return;
      throw new CheckFailure({
        summary: `After its DONE, sendLarge() left ${left.join(' and ')} open: a program that calls it would not end${left.some((r) => /timeout/i.test(r)) ? ' until the timer fires' : ''}.`,
        sent: call.shown,
        expected: `nothing of sendLarge() still open ${OPEN_AFTER_MS} ms after it resolved`,
        got: `${left.join(', ')} still open`,
        hint: 'Close the socket once the DONE has come, and clear the timer that waited for it (clearTimeout).',
      });
    });

    clientIt('sends a string as UTF-8 bytes, characters split between chunks and all', async (ctx) => {
      const ref = await ReferenceServer.open();
      const text = straddlingText();
      const call: Call = {
        outcome: probe(ctx).call('sendText', [ref.port, { timeoutMs: 1000 }], { timeoutMs: 14_000 }),
        shown: `sendLarge('127.0.0.1', ${ref.port}, <a string of ${text.length} characters, ${bytes(Buffer.byteLength(text))} in UTF-8, with "€" across bytes 1,199–1,201 and "🎉" across 2,399–2,402>)`,
      };
      await expectDelivered(ref, call, await call.outcome, Buffer.from(text, 'utf8'),
        'Turn a string into bytes first (Buffer.from(data, \'utf8\')), then cut the bytes: the count and the chunks come from the byte length, not from data.length, which counts UTF-16 units.');
    });

    clientIt('completes 64 KB through the impairment proxy, replies lost too (seeded: 10 % loss, 5 % reordering, 2 % duplicates)', async (ctx) => {
      const ref = await ReferenceServer.open();
      const proxy = await startProxy({ target: { address: '127.0.0.1', port: ref.port }, impairments: { loss: 0.1, reorder: 0.05, duplicate: 0.02 }, seed: 6 });
      try {
        // 64 KB: 55 chunks, fewer than the proxy's own receive buffer holds, so that the proxy,
        // which runs in the checker's process, loses none itself while it waits for the CPU.
        const call = callSend(ctx, ref, 64 * 1024, 49, { timeoutMs: 150, maxRounds: 20 }, { port: proxy.address.port });
        await expectDelivered(ref, call, await call.outcome, seededData(49, 64 * 1024),
          'Both ways lose datagrams here, replies too: resend what MISSING names, and when no reply comes within timeoutMs, send again what is not acknowledged.');
      } finally {
        await proxy.stop();
      }
    });

    clientIt('delivers each transfer once, with the default limits (200 ms, 10 s, 30 s), on an injected clock', async (ctx) => {
      const file = labPath(SLUG, 'reassembler.ts');
      const o = await probe(ctx).call('reassemble', [file], { timeoutMs: 5000 });
      if (o.settled !== 'resolved') {
        throw new CheckFailure({
          summary: `The Reassembler of reassembler.ts could not be driven: ${o.settled === 'rejected' ? `${o.error.name}: ${o.error.message}` : describeUnsettled('Reassembler', o)}.`,
          hint: "Keep the starter's exports: `class Reassembler` with `constructor({ now, ...limits })`, `receive(from, datagram)` and `tick()`, each returning an array of events.",
        });
      }
      const { steps, problem } = o.value as { steps: Step[]; problem?: string };
      if (problem) throw new CheckFailure({ summary: `${problem}.`, hint: "Keep the starter's `export class Reassembler`." });
      judgeSteps(steps);
    });
  });
});

/** The next reply about `id` that is not a MISSING (which a busy machine may bring first), or the last MISSING if nothing else comes. */
async function finalReply(s: ServerProcess, client: UdpClient, id: number, ms: number): Promise<Got | undefined> {
  const deadline = performance.now() + ms;
  let last: Got | undefined;
  for (;;) {
    const got = await replyAbout(s, client, id, Math.max(0, deadline - performance.now()));
    if (!got) return last;
    if (!missingOf(got)) return got;
    last = got;
  }
}

/** Two transfers at once, interleaved chunk by chunk: each must get the DONE of its own data. */
async function expectTwo(s: ServerProcess, a: UdpClient, b: UdpClient, idA: number, idB: number, who: string, hint: string): Promise<void> {
  const dataA = seededData(idA * 7 + 1, 3 * 1200 - 100);
  const dataB = seededData(idB * 7 + 2, 3 * 1200 - 200);
  const ca = chunksOf(idA, dataA);
  const cb = chunksOf(idB, dataB);
  for (let i = 0; i < 3; i++) {
    await a.send(ca[i]!, s.endpoint);
    await b.send(cb[i]!, s.endpoint);
  }
  const sent = `two transfers of 3 chunks, ${who}, interleaved: A0 B0 A1 B1 A2 B2`;
  const [gotA, gotB] = await Promise.all([finalReply(s, a, idA, 2000), finalReply(s, b, idB, 2000)]);
  const wantA = done(idA, dataA);
  const wantB = done(idB, dataB);
  if (textOf(gotA) === wantA && textOf(gotB) === wantB) return;
  if (!gotA || !gotB) ensureRunning(s, `after ${sent}`);
  throw new CheckFailure({
    summary: 'The two transfers were mixed up.',
    sent,
    expected: `A gets ${wantA.slice(0, 30)}…, B gets ${wantB.slice(0, 30)}…, each the DONE of its own data`,
    got: `A got ${describeGot(gotA, 2000)}; B got ${describeGot(gotB, 2000)}`,
    log: logOf(s),
    hint,
  });
}

/** Holds the Reassembler's steps (05-driver.ts) against the rules. */
function judgeSteps(steps: Step[]): void {
  const A = '127.0.0.1:5000';
  const doneText = `DONE 1 4 ${sha256(Buffer.from('abcd'))}`;
  const has = (events: string[], re: RegExp) => events.some((e) => re.test(e));
  const reply = (to: string, text: string) => new RegExp(`^reply to ${to.replace(/\./g, '\\.')}: ${JSON.stringify(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const none = (kind: string) => (events: string[]) => !has(events, new RegExp(`^${kind}`));
  // What each step must show: [a test, what it means].
  const rules: [((events: string[]) => boolean) | undefined, string][] = [
    [(e) => none('reply')(e) && none('delivered')(e), 'nothing yet: 1 of 2 chunks'],
    [(e) => none('reply')(e) && none('delivered')(e), 'nothing: a duplicate is not a second chunk'],
    [(e) => !has(e, /MISSING/), 'no MISSING after 150 ms: the default quiet gap is 200 ms'],
    [(e) => has(e, reply(A, 'MISSING 1 1')), 'MISSING 1 1 to 127.0.0.1:5000 after 250 ms of quiet'],
    [(e) => !has(e, /MISSING/), 'no second MISSING while nothing new came'],
    [(e) => has(e, reply(A, doneText)) && e.filter((x) => /^delivered transfer 1 /.test(x)).length === 1 && has(e, /^delivered transfer 1 from 127\.0\.0\.1:5000: "abcd"$/), `${doneText}, and the data "abcd" delivered once`],
    [(e) => has(e, reply(A, doneText)) && none('delivered')(e), 'the same DONE again for a duplicate, and no second delivery'],
    [(e) => none('reply')(e) && none('delivered')(e), 'nothing yet: transfer 2 from 127.0.0.1:5001 has begun'],
    [(e) => !has(e, /^dropped/), 'no drop after 9.5 s of quiet: the default idle limit is 10 s'],
    [(e) => has(e, /^dropped transfer 2 from 127\.0\.0\.1:5001/), 'transfer 2 from 127.0.0.1:5001 dropped after 10.5 s of quiet'],
    [(e) => none('delivered')(e) && !has(e, /DONE/), 'nothing complete: transfer 2 was dropped, so chunk 1 begins a new one'],
    [(e) => has(e, reply(A, doneText)) && none('delivered')(e), 'the same DONE for a duplicate 28.6 s after completion: the default memory is 30 s'],
    [undefined, ''],
    [(e) => none('delivered')(e) && !has(e, /DONE/), 'no DONE 30.6 s after completion: forgotten, chunk 0 begins a new transfer'],
  ];
  for (const [i, step] of steps.entries()) {
    const [test, meaning] = rules[i] ?? [undefined, ''];
    if (!test || test(step.events)) continue;
    const shown = steps.slice(Math.max(0, i - 3), i + 1).map((st) => `at ${st.at} ms, ${st.did} → ${st.events.length > 0 ? st.events.join('; ') : 'nothing'}`);
    throw new CheckFailure({
      summary: `The Reassembler, on a clock of the checker's with its default limits, did not do what the rules say at ${step.at} ms.`,
      sent: shown.join('\n'),
      expected: meaning,
      got: step.events.length > 0 ? step.events.join('\n') : 'no event',
      hint: /delivered/.test(meaning)
        ? 'Deliver a transfer once, when its last missing chunk arrives; afterwards answer its chunks from the memory of completed transfers, with the DONE alone.'
        : /MISSING/.test(meaning)
          ? 'In tick(), reply MISSING to a transfer quiet for quietGapMs (default 200) or more, once: set a flag, and clear it when a chunk arrives.'
          : /dropped|drop/.test(meaning)
            ? 'In tick(), drop each transfer quiet for idleMs (default 10,000) or more, with a "dropped" event.'
            : /memory|forgotten/.test(meaning)
              ? 'Keep each DONE for doneMemoryMs (default 30,000) after completion, measured with the injected clock `now()`, never with Date.now().'
              : 'Use the injected clock `now()` for every time, so that a test can move time on without waiting.',
    });
  }
}
