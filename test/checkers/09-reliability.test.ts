// Checker for lab 09: a read-only TFTP server (RFC 1350, options of RFC 2347, 2348, 2349, 7440).
// It starts labs/09-reliability/server.ts (or the tree named by WORKBOOK_TARGET) once, on files
// of its own (support/09-fixtures.ts), with a short retransmission timeout, and talks to it over
// real UDP with a TFTP client of its own (support/09-tftp.ts) that loses, duplicates, delays and
// reorders packets on purpose, by rule or from a seed. Where curl is installed, curl fetches a
// file too. The wire format is in the lab's packets.ts and server.ts.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  boundPorts,
  ensureRunning,
  formatEndpoint,
  labPath,
  labServer,
  namesEndpoint,
  startServer,
  willRun,
  type Scope,
  type ServerProcess,
} from '../../tools/harness/index.ts';
import { Early } from './support/server-checks.ts';
import { FILES, TWENTY, WRAP_SIZE, createFixtures, sha256, type FileName } from './support/09-fixtures.ts';
import {
  OP,
  ackPacket,
  decode,
  describeFrom,
  describePacket,
  describeRequest,
  errorPacket,
  fetchFile,
  openSocket,
  rrq,
  send,
  sleep,
  type FetchOptions,
  type FetchResult,
  type Packet,
} from './support/09-tftp.ts';

const SLUG = '09-reliability';
const fx = createFixtures();
// The server's retransmission timeout and retry count: short, so that a loss costs little, and
// enough retries that a checker paused a moment by a busy machine is not given up on. Checks that
// lose nothing on purpose ask for timeout=1 (a second) where a pause could cost a transfer.
const TIMEOUT_MS = 30;
const RETRIES = 10;
const PATIENT: Options = [['timeout', '1']];
const ARGS = ['--root', fx.root, '--timeout-ms', String(TIMEOUT_MS), '--retries', String(RETRIES)];
const server = labServer(SLUG, { args: ARGS });

const file = (name: FileName) => `${name}.bin`;
const contents = (name: string) => fx.contents(name);
const blocks = (size: number, blksize = 512) => Math.floor(size / blksize) + 1;
const num = (n: number) => n.toLocaleString('en-US');

// A server that let the last two transfers stall is not waited for in full again: the learner
// sees the same advice sooner (as exchange() does). The count runs through the checks in their
// order (`main`); a check played before its turn (see "played early" below) keeps a tally of
// its own, from the count its turn is expected to find, and hands the count on at its turn.
interface Tally {
  stalls: number;
  /** What its clients' sockets last: the check (undefined, 'test') or the file ('file'). */
  scope?: Scope;
}
const main: Tally = { stalls: 0 };
const LOG_LAG_MS = 30;
const patience = (tally: Tally = main) => (tally.stalls >= 2 ? 300 : 1000);

type Options = readonly (readonly [string, string])[];

type Get = Omit<FetchOptions, 'filename'>;

async function get(s: ServerProcess, name: string, o: Get = {}, tally: Tally = main): Promise<FetchResult & { sent: string; late: Packet[] }> {
  ensureRunning(s, 'before the check began');
  const r = await fetchFile(s.endpoint, { idleMs: patience(tally), ...o, filename: name, scope: tally.scope });
  // What still comes once the client has stopped, for a check that listens longer (more()): from
  // now on, not only after the wait below.
  const late: Packet[] = [];
  r.socket.on('message', (data, rinfo) => late.push(decode({ data, address: rinfo.address, port: rinfo.port, at: performance.now() })));
  tally.stalls = r.why?.startsWith('nothing came') ? tally.stalls + 1 : 0;
  // The server's log lines come through a pipe, after its packets: let them catch up before a
  // failure shows them.
  if (!r.complete || r.error) await sleep(LOG_LAG_MS);
  const sent = `${describeRequest(name, o.mode, o.options)} from ${formatEndpoint(r.client.address, r.client.port)} to port ${s.port}`;
  return { ...r, sent, late };
}

/** "the first 1,024 bytes are right; byte 1,024 (block 3) differs" */
function difference(want: Buffer, got: Buffer, blksize: number): string {
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  const block = Math.floor(i / blksize) + 1;
  if (i === want.length && i < got.length) return `${num(got.length - want.length)} bytes too many after the file's ${num(want.length)}`;
  if (i === got.length) return `${num(got.length)} of ${num(want.length)} bytes, all right, and then the transfer ended: block ${block} is missing`;
  return `the first ${num(i)} bytes are right; byte ${num(i)} (in block ${block}) differs`;
}

/** The block whose ACK went out last, when nothing came after it: the server stalled there. */
function stalledAfter(r: FetchResult): number | undefined {
  if (!r.why?.startsWith('nothing came')) return undefined;
  const m = /^→ ACK (\d+)(?: twice| after \d+ ms)?$/.exec(r.trace.at(-1) ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Whether the last thing that happened was a loss on purpose (the server had to recover from it). */
const afterLoss = (r: FetchResult) => /lost on purpose$/.test(r.trace.at(-1) ?? '');

/**
 * What a transfer that went wrong looks like to the learner; undefined when it went right.
 * `hint` gives the check's own advice for this result, or undefined for the general one.
 */
function transferProblem(s: ServerProcess, r: FetchResult & { sent: string }, want: Buffer, hint?: (r: FetchResult) => string | undefined): CheckFailure | undefined {
  const expected = `the file, ${num(want.length)} bytes in ${num(blocks(want.length, r.blksize))} block${blocks(want.length, r.blksize) === 1 ? '' : 's'} of ${r.blksize} (SHA-256 ${sha256(want).slice(0, 16)}…)`;
  const base = { sent: r.sent, expected, got: r.trace.join('\n'), log: s.tail() };
  const own = hint?.(r);
  if (r.error) {
    return new CheckFailure({
      ...base,
      summary: `The server refused the transfer: ${describePacket(r.error)}.`,
      hint: own ?? 'The file exists under --root: look at how the filename becomes a path (safe-path.ts), and at the log above.',
    });
  }
  if (!r.complete) {
    const crash = s.crashReport();
    if (crash) {
      return new CheckFailure({
        ...base,
        summary: `${crash.summary.replace(/\.$/, '')} during the transfer.`,
        log: crash.log,
        hint: own ?? crash.hint,
      });
    }
    const start = r.tid ? '' : ' No answer came to the request at all.';
    const stalled = stalledAfter(r);
    return new CheckFailure({
      ...base,
      summary: `The transfer did not complete: ${r.why ?? 'it stopped'}${stalled === undefined ? '' : ` after ACK ${stalled & 0xffff}`}.${start}`,
      hint:
        own ??
        (!r.tid
          ? "Answer an RRQ from a socket of the transfer's own: DATA 1, or an OACK when options were accepted."
          : stalled !== undefined
            ? `Nothing came after ACK ${stalled & 0xffff}. An ACK must bring what follows it (the next block, or the next window: onAck in transfer.ts), and only the ACK of the last block ends the transfer.`
            : 'The lines under "got" are the client\'s view of the transfer, most recent last.'),
    });
  }
  if (!r.data.equals(want)) {
    return new CheckFailure({
      ...base,
      summary: `The file came back different: ${difference(want, r.data, r.blksize)}.`,
      got: `${num(r.data.length)} bytes (SHA-256 ${sha256(r.data).slice(0, 16)}…)\n${r.trace.slice(-6).join('\n')}`,
      hint: own ?? 'Block n holds bytes (n-1)·blksize to n·blksize of the file: data.subarray((n - 1) * blksize, n * blksize).',
    });
  }
  if (r.early) {
    return new CheckFailure({
      ...base,
      summary: `The server sent a block before the client asked for it: ${r.early}.`,
      hint: own ?? 'Send the next window only when an ACK arrives: with windowsize W, at most W blocks after the last one acknowledged (one, without the option).',
    });
  }
  return undefined;
}

async function expectFile(s: ServerProcess, name: string, o: Get = {}, hint?: (r: FetchResult) => string | undefined, tally: Tally = main): Promise<FetchResult & { sent: string }> {
  const r = await get(s, name, o, tally);
  const problem = transferProblem(s, r, contents(name), hint);
  if (problem) throw problem;
  return r;
}

/** A socket of the checker's, for checks that go step by step; packets decoded as they come. */
class Steps {
  readonly client: UdpClient;
  readonly seen: string[] = [];
  /** When the last packet that next() returned arrived. */
  lastAt = 0;
  private readonly s: ServerProcess;

  private constructor(s: ServerProcess, client: UdpClient) {
    this.s = s;
    this.client = client;
  }

  static async open(s: ServerProcess, address?: string, scope?: Scope): Promise<Steps> {
    ensureRunning(s, 'before the check began');
    return new Steps(s, await UdpClient.open(address, scope));
  }

  async send(packet: Buffer, to = this.s.endpoint, shown?: string): Promise<void> {
    await this.client.send(packet, to);
    if (shown) this.seen.push(`→ ${shown}`);
  }

  /** The next packet from anyone, or undefined after `ms`. */
  async next(ms: number): Promise<Packet | undefined> {
    const d = await this.client.receive(ms);
    if (!d) return undefined;
    this.lastAt = d.at;
    const p = decode(d);
    this.seen.push(`← ${describeFrom(p, this.s.endpoint)}`);
    return p;
  }

  /** Every packet that comes within `ms`. */
  async during(ms: number): Promise<Packet[]> {
    const out: Packet[] = [];
    const until = performance.now() + ms;
    for (let p; (p = await this.next(until - performance.now())); ) out.push(p);
    return out;
  }
}

/** An ERROR with this code (or one of these), well-formed, in answer to a request that must be refused. */
async function expectRefused(s: ServerProcess, request: Buffer, shown: string, codes: readonly number[], hint: (got: Packet | undefined) => string, tally: Tally = main): Promise<Packet> {
  const steps = await Steps.open(s, undefined, tally.scope);
  await steps.send(request);
  const p = await steps.next(patience(tally));
  tally.stalls = p ? 0 : tally.stalls + 1;
  const expected = `ERROR ${codes.join(' or ')}, from port ${s.port} or a port of its own, its message ending with a zero byte`;
  const sent = `${shown} from ${steps.client.endpoint} to port ${s.port}`;
  if (p?.op === OP.ERROR && codes.includes(p.code!) && !p.malformed) return p;
  await sleep(LOG_LAG_MS);
  if (!p) ensureRunning(s, `after ${shown}`);
  throw new CheckFailure({
    summary: p ? `The answer is ${describePacket(p)}, not ERROR ${codes.join(' or ')}.` : 'No answer came back.',
    sent,
    expected,
    got: p ? describeFrom(p, s.endpoint) : `nothing within ${patience(tally)} ms`,
    log: s.tail(),
    hint: p?.op === OP.ERROR && p.malformed ? 'An ERROR is 00 05, the code in 2 bytes, the message, and one zero byte: errorPacket() in packets.ts.' : hint(p),
  });
}

/** Polls until the server's process no longer holds `port` (Linux); true when it is gone. */
async function portClosed(s: ServerProcess, port: number, ms: number): Promise<boolean | undefined> {
  if (boundPorts(s.child.pid).length === 0) return undefined; // cannot tell here
  const until = performance.now() + ms;
  while (boundPorts(s.child.pid).includes(port)) {
    if (performance.now() > until) return false;
    await sleep(10);
  }
  return true;
}

const hasCurl = (() => {
  const r = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'curl is not installed here';
  if (!/^Protocols:.*\btftp\b/m.test(r.stdout)) return 'this curl was built without TFTP';
  return undefined;
})();

// ---- played early ----
// The checks that wait on timers (a timeout, a window, a server giving up, a client's ERROR) and
// the longest transfer are played as the file begins, on copies of the server of their own, so
// that their waits overlap with the checks before them; each check then takes its result (Early).
// A copy serves one lane of them, one after another, in the order of their checks, and is started
// again (as the shared server is) when a check before ended it: no check played early shares a
// server with a check that runs at the same time, nor sees in its log what another did. Each
// counts the transfers that stalled in a tally of its own (patience), from the count that its turn
// should find; if its turn finds another, it is played again then, so that the verdict is the same
// either way.

const BIG_CHECK = 'sends a 1 MiB file byte-exact (SHA-256), in blocks of 1428 bytes';
const TIMEOUT_CHECK = 'timeout: answers timeout=1, then waits a second, not --timeout-ms, before sending again';
const WINDOW_CHECKS = [
  'windowsize=4: sends four blocks before it waits for an ACK, and not a fifth',
  'windowsize=4: after an ACK for a block inside the window, goes on from the block after it',
  'windowsize=4: ignores a late ACK from an earlier window, and resends nothing',
] as const;
const LOST_LAST_CHECK = 'sends the last block again when its ACK was lost';
const GIVES_UP_CHECK = `gives up after --retries ${RETRIES} retransmissions, says so in its log, and closes the port`;
const CLIENT_ERROR_CHECK = 'stops sending when the client sends an ERROR';
const MALFORMED_CHECK = 'answers a malformed packet with ERROR 4, never answers an ERROR, and keeps serving';
const WRAP_CHECK = 'wraps block numbers from 65,535 to 0 (blksize 8, windowsize 64)';

/**
 * A copy of the server for one lane: started once for the checks played early in it ('file'),
 * again if a check before ended it (as labServer does); a check that plays its own ('test') gets
 * one of its own.
 */
function copyOfServer(): (scope: Scope) => Promise<ServerProcess> {
  let started: Promise<ServerProcess> | undefined;
  const start = (scope: Scope) => startServer({ file: labPath(SLUG, 'server.ts'), args: ARGS, scope });
  return async (scope) => {
    if (scope === 'test') return start('test');
    const current = started;
    if (current) {
      const s = await current.catch(() => undefined);
      if (s?.crashReport() && started === current) started = undefined;
    }
    started ??= start('file');
    return started;
  };
}

/**
 * Three lanes: the window's three checks; the last block resent, a server giving up (on a copy
 * that has served a file already, as the shared server would have), then malformed packets; the
 * timeout, a client's ERROR, then the wrap.
 */
const laneA = copyOfServer();
const laneB = copyOfServer();
const laneC = copyOfServer();

const LANES = [
  [laneA, WINDOW_CHECKS],
  [laneB, [LOST_LAST_CHECK, GIVES_UP_CHECK, MALFORMED_CHECK]],
  [laneC, [TIMEOUT_CHECK, CLIENT_ERROR_CHECK, WRAP_CHECK]],
] as const;

type Scenario = (s: ServerProcess, tally: Tally) => Promise<void>;
const SCENARIOS: Record<string, readonly [Scenario, (scope: Scope) => Promise<ServerProcess>]> = {
  [TIMEOUT_CHECK]: [timeoutScenario, laneC],
  [CLIENT_ERROR_CHECK]: [clientErrorScenario, laneC],
  [LOST_LAST_CHECK]: [lostLastScenario, laneB],
  [GIVES_UP_CHECK]: [givesUpScenario, laneB],
  [MALFORMED_CHECK]: [malformedScenario, laneB],
  [WRAP_CHECK]: [wrapScenario, laneC],
};

/** How a scenario played: the stall count it began with and ended with, and the failure, if any. */
interface Played {
  from: number;
  to: number;
  failure?: { error: unknown };
}

function play(check: string, from: number): (scope: Scope) => Promise<Played> {
  const [scenario, copy] = SCENARIOS[check]!;
  return async (scope) => {
    const tally: Tally = { stalls: from, scope };
    try {
      await scenario(await copy(scope), tally);
      return { from, to: tally.stalls };
    } catch (error) {
      return { from, to: tally.stalls, failure: { error } };
    }
  };
}

const early = new Early();

/** A moment others wait for: opened once, by the check that needs the machine quiet until then. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves once `g` is opened, or after `ms` at most. */
function openedWithin(g: { opened: Promise<void> }, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void g.opened.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Two checks played early must not share the machine with much else for a moment: a server giving
 * up must be heard retransmitting within 90 ms until it has been twice (after that, it is given a
 * second more), and a client's ERROR must reach the server within its 30 ms timeout. The first
 * begins once every copy of the server is up, and the 1 MiB transfer waits for its moment to be
 * over; the second begins once that transfer is over; the wrap (65,536 packets, both cores busy)
 * waits for both.
 */
const quiet = { givesUp: gate(), big: gate() };

/** The check's turn: its early result (or a run now), played again if it began from another count. */
async function played(check: string): Promise<void> {
  let p = await early.take(check, play(check, main.stalls));
  if (p.from !== main.stalls) p = await play(check, main.stalls)('test');
  main.stalls = p.to;
  if (p.failure) throw p.failure.error;
}

describe('lab 09: a TFTP server', () => {
  beforeAll(() => {
    // Each played from a stall count of 0: what a correct server leaves for each check's turn.
    if (WINDOW_CHECKS.some((name) => willRun(name))) windowScenario(laneA, 'file').catch(() => {});
    const up = Promise.allSettled(LANES.filter(([, checks]) => checks.some((name) => willRun(name))).map(([copy]) => copy('file')));
    const lostLast = early.start(LOST_LAST_CHECK, play(LOST_LAST_CHECK, 0));
    const gaveUp = early.start(GIVES_UP_CHECK, play(GIVES_UP_CHECK, 0), [lostLast, up]);
    void gaveUp.then(() => quiet.givesUp.open());
    early.start(MALFORMED_CHECK, play(MALFORMED_CHECK, 0), [gaveUp]);
    const timeout = early.start(TIMEOUT_CHECK, play(TIMEOUT_CHECK, 0));
    // The 1 MiB check opens its gate when it ends; 5 s at most, for a run filtered by name.
    if (!willRun(BIG_CHECK)) quiet.big.open();
    const clientError = early.start(CLIENT_ERROR_CHECK, play(CLIENT_ERROR_CHECK, 0), [timeout, up, openedWithin(quiet.big, 5000)]);
    early.start(WRAP_CHECK, play(WRAP_CHECK, 0), [clientError, quiet.givesUp.opened]);
  });

  // ---- RFC 1350: blocks, the last short one, a port per transfer ----

  it('sends a 511-byte file as DATA 1, from a port of its own (its TID)', async () => {
    const s = await server();
    const r = await expectFile(s, file('b511'), {}, (r) => (r.tid ? undefined : 'A file shorter than 512 bytes is one DATA packet: 00 03, block 00 01, then the bytes.'));
    const first = r.oack ? `an OACK (${describePacket(r.oack)})` : undefined;
    if (first) {
      throw new CheckFailure({
        summary: `The server answered a request without options with ${first}.`,
        sent: r.sent,
        expected: 'DATA 1 at once: an OACK answers only options the server accepted (RFC 2347)',
        got: r.trace.join('\n'),
        hint: 'Send an OACK only when negotiate() accepted at least one option: agreed.accepted.size > 0.',
      });
    }
    if (r.tid!.port === s.port) {
      throw new CheckFailure({
        summary: `The DATA came from port ${s.port}, the server's own, not from a port of the transfer's.`,
        sent: r.sent,
        expected: `DATA 1 from a new port: the server's transfer ID (RFC 1350, section 4)`,
        got: r.trace.join('\n'),
        log: s.tail(),
        hint: "Give each transfer a socket of its own, bound to port 0 (the system chooses), and send its packets from there. Port P only takes requests: with twenty transfers at once, each one's ACKs must reach its own socket.",
      });
    }
  });

  it('ends a 512-byte file with an empty DATA 2', async () => {
    await expectFile(await server(), file('b512'), {}, (r) =>
      stalledAfter(r) === 1
        ? 'Nothing came after ACK 1. Only a block shorter than 512 bytes ends a transfer, so a file of exactly 512 bytes needs a second block, empty, that says "that was all": the last block is number floor(size / blksize) + 1. (If the 513-byte file stalls after ACK 1 too, look at onAck first: an ACK must bring the next block.)'
        : undefined,
    );
  });

  it('sends a 513-byte file as blocks of 512 and 1 bytes', async () => {
    await expectFile(await server(), file('b513'));
  });

  it('sends an empty file as one empty DATA 1', async () => {
    await expectFile(await server(), file('b0'), {}, (r) =>
      r.tid ? undefined : 'An empty file is one block too: DATA 1, with nothing after the block number (4 bytes in all), which the client acknowledges.',
    );
  });

  it(BIG_CHECK, async () => {
    try {
      await openedWithin(quiet.givesUp, 5000); // see quiet
      contents(file('big')); // written now, when first needed
      await expectFile(await server(), file('big'), { options: [['blksize', '1428'], ...PATIENT], deadlineMs: 20_000 });
    } finally {
      quiet.big.open();
    }
  });

  it("closes the transfer's socket once the last ACK has come", async () => {
    const s = await server();
    const r = await expectFile(s, file('b513'));
    const closed = await portClosed(s, r.tid!.port, 500);
    if (closed !== false) return;
    throw new CheckFailure({
      summary: `Port ${r.tid!.port}, the transfer's, is still open 500 ms after its last ACK.`,
      sent: r.sent,
      expected: "the transfer's socket closed once the ACK of its last block arrived",
      got: `port ${r.tid!.port} still bound by the server's process`,
      log: s.tail(),
      hint: 'Close the socket when the transfer ends, whichever way (done, given up, an ERROR): every transfer left open costs a socket and a port until the server stops.',
    });
  });

  // ---- RFC 2347, 2348, 2349: options ----

  it('blksize: answers blksize=1024 with an OACK, then sends blocks of 1024 bytes', async () => {
    const s = await server();
    const r = await expectFile(s, file('small'), { options: [['blksize', '1024']] }, (r) =>
      r.complete && r.oack ? 'After an OACK of blksize=1024, every block but the last holds 1024 bytes: to the client, a shorter block is the last one.' : undefined,
    );
    const value = r.oack?.options?.get('blksize');
    if (value === '1024') return;
    throw new CheckFailure({
      summary: r.oack ? `The OACK says blksize=${value ?? '(nothing)'}, not 1024.` : 'The server sent no OACK for blksize=1024.',
      sent: r.sent,
      expected: 'OACK blksize=1024, then, after ACK 0, DATA 1 (1024 B), DATA 2 (1024 B), DATA 3 (952 B)',
      got: r.trace.join('\n'),
      hint: 'negotiate() in options.ts: a blksize from 8 to 65,464 is accepted as asked, and goes in the OACK.',
    });
  });

  it('blksize: reads option names in any case (BlkSize=1024)', async () => {
    const s = await server();
    const r = await expectFile(s, file('small'), { options: [['BlkSize', '1024']] });
    if (r.oack?.options?.get('blksize') === '1024') return;
    throw new CheckFailure({
      summary: 'The server did not accept "BlkSize", which is "blksize" in other letters.',
      sent: r.sent,
      expected: 'OACK blksize=1024 (RFC 2347: option names are case-insensitive)',
      got: r.trace.join('\n'),
      hint: 'Compare option names in lower case: parseRequest() lowers them as it reads them.',
    });
  });

  it('blksize: never uses a size out of range (4, abc, 70000)', async () => {
    const s = await server();
    const wrong: string[] = [];
    const results = await Promise.all([
      get(s, file('small'), { options: [['blksize', '4']] }),
      get(s, file('small'), { options: [['blksize', 'abc']] }),
      get(s, file('max'), { options: [['blksize', '70000']] }),
    ]);
    for (const [i, r] of results.entries()) {
      const asked = ['4', 'abc', '70000'][i]!;
      const value = r.oack?.options?.get('blksize');
      const name = i === 2 ? file('max') : file('small');
      const problem = transferProblem(s, r, contents(name));
      if (problem) throw problem;
      if (asked === '70000') {
        const n = Number(value);
        if (value === undefined || !(n >= 8 && n <= 65_464)) wrong.push(`blksize=70000: the OACK says blksize=${value ?? '(nothing)'}, where at most 65,464 is allowed`);
      } else if (value !== undefined) {
        wrong.push(`blksize=${asked}: the OACK says blksize=${value}, a value that is not a number from 8 to 65,464`);
      }
    }
    if (wrong.length === 0) return;
    throw new CheckFailure({
      summary: 'The server accepted a block size that RFC 2348 does not allow.',
      sent: results.map((r) => r.sent).join('\n'),
      expected: 'blksize from 8 to 65,464 accepted; 4 and "abc" ignored (no blksize in the OACK, blocks of 512); more than 65,464 answered with 65,464 (or less)',
      got: wrong.join('\n'),
      hint: 'Accept only decimal digits (/^\\d+$/: parseInt("12abc") is 12), ignore a value below 8, and answer Math.min(value, 65464) otherwise.',
    });
  });

  it("tsize: answers tsize=0 with the file's size in bytes", async () => {
    const s = await server();
    const r = await expectFile(s, file('small'), { options: [['tsize', '0']] });
    const value = r.oack?.options?.get('tsize');
    if (value === String(FILES.small)) return;
    throw new CheckFailure({
      summary: r.oack ? `The OACK says tsize=${value ?? '(nothing)'}, not ${FILES.small}.` : 'The server sent no OACK for tsize=0.',
      sent: r.sent,
      expected: `OACK tsize=${FILES.small}: in an RRQ the client sends 0, and the server answers the file's size (RFC 2349)`,
      got: r.trace.join('\n'),
      hint: "negotiate(requested, fileSize): for tsize, put String(fileSize) in the OACK, whatever the client's value.",
    });
  });

  it(TIMEOUT_CHECK, () => played(TIMEOUT_CHECK));

  it('retransmits the OACK when ACK 0 is lost, and sends no DATA before ACK 0', async () => {
    const s = await server();
    const r = await expectFile(s, file('small'), { options: [['blksize', '1024']], loseAck: (block, copy) => block === 0 && copy === 1 }, (r) =>
      r.oack && r.oackAt.length < 2 && afterLoss(r) ? `After the OACK, the server waits for ACK 0; when it does not come within the timeout (--timeout-ms ${TIMEOUT_MS}), it sends the OACK again, as it would a DATA block.` : undefined,
    );
    if (r.oackAt.length >= 2) return;
    throw new CheckFailure({
      summary: 'The OACK was not sent again when its ACK was lost.',
      sent: `${r.sent}; ACK 0 lost on purpose`,
      expected: `the OACK again after --timeout-ms (${TIMEOUT_MS} ms), then DATA 1 once ACK 0 came`,
      got: r.trace.join('\n'),
      log: s.tail(),
      hint: 'The OACK is the first packet of the transfer, and it can be lost like any other: until ACK 0 arrives, a timeout sends it again.',
    });
  });

  it('ignores options it does not know, and sends no OACK when it knows none', async () => {
    const s = await server();
    const [only, mixed] = await Promise.all([
      get(s, file('small'), { options: [['colour', 'blue']] }),
      get(s, file('small'), { options: [['colour', 'blue'], ['blksize', '1024']] }),
    ]);
    for (const r of [only, mixed]) {
      const problem = transferProblem(s, r, contents(file('small')));
      if (problem) throw problem;
    }
    const wrong = [
      only.oack && `for colour=blue alone: ${describePacket(only.oack)}, where DATA 1 should come at once`,
      mixed.oack?.options?.has('colour') && `for colour=blue and blksize=1024: ${describePacket(mixed.oack)}, which acknowledges colour`,
      !mixed.oack && 'for colour=blue and blksize=1024: no OACK at all',
    ].filter(Boolean);
    if (wrong.length === 0) return;
    throw new CheckFailure({
      summary: 'The server answered options it does not know.',
      sent: `${only.sent}\n${mixed.sent}`,
      expected: 'no OACK when no option is accepted; an OACK with blksize=1024 only, otherwise (RFC 2347: options the server does not support are left out)',
      got: wrong.join('\n'),
      hint: 'Put in the OACK only the options negotiate() accepted, and send none when it accepted none.',
    });
  });

  // ---- RFC 7440: the window ----

  it(WINDOW_CHECKS[0], async () => {
    const w = await windowScenario(laneA, 'test');
    if (w.firstWindow) throw w.firstWindow;
  });

  it(WINDOW_CHECKS[1], async () => {
    const w = await windowScenario(laneA, 'test');
    if (w.firstWindow) throw stepFailure(w, 'it did not get that far: see the check of the first window');
    if (w.restart) throw w.restart;
  });

  it(WINDOW_CHECKS[2], async () => {
    const w = await windowScenario(laneA, 'test');
    if (w.firstWindow || w.restart) throw stepFailure(w, 'it did not get that far: see the checks above');
    if (w.stale) throw w.stale;
  });

  // ---- acknowledgements and timeouts ----

  it('sends a DATA block again when it was lost', async () => {
    const s = await server();
    const r = await expectFile(s, file('loss'), { loseData: (block, copy) => block === 3 && copy === 1 }, (r) =>
      !afterLoss(r) ? undefined : `DATA 3 was lost, and the client waits for it. After --timeout-ms (${TIMEOUT_MS} ms) without the ACK, send the unacknowledged block again: a timer, set each time you send, cleared by the ACK.`,
    );
    ensureResent(s, r, 3, 'DATA 3 was lost on purpose');
  });

  it('sends a DATA block again when its ACK was lost', async () => {
    const s = await server();
    const r = await expectFile(s, file('loss'), { loseAck: (block, copy) => block === 2 && copy === 1 }, (r) =>
      !afterLoss(r) ? undefined : `The ACK of block 2 was lost: the server cannot tell that from a lost DATA 2, and sends DATA 2 again after --timeout-ms (${TIMEOUT_MS} ms). The client acknowledges it again.`,
    );
    ensureResent(s, r, 2, 'the ACK of DATA 2 was lost on purpose');
  });

  it(LOST_LAST_CHECK, () => played(LOST_LAST_CHECK));

  it(GIVES_UP_CHECK, () => played(GIVES_UP_CHECK));

  it("does not resend on a duplicate ACK (no Sorcerer's Apprentice)", async () => {
    const s = await server();
    const n = blocks(FILES.apprentice);
    // timeout=1: no timeout can fire during this transfer, so every extra DATA is the ACK's doing.
    const r = await expectFile(s, file('apprentice'), { options: [['timeout', '1']], duplicateAck: (block) => block === 3 });
    const extra = r.dataReceived - n;
    if (extra <= 3) return;
    const twice = r.copies.flatMap((c, b) => (c > 1 ? [b] : []));
    throw new CheckFailure({
      summary: `After one duplicate ACK 3, the server sent ${extra} DATA packets more than the ${n} blocks of the file: ${twice.length > 3 ? `every block from ${twice[0]} to ${twice.at(-1)} came twice` : `blocks ${twice.join(', ')} came again`}.`,
      sent: `${r.sent}; ACK 3 sent twice`,
      expected: `${n} DATA packets: a second ACK 3 changes nothing (RFC 1123, 4.2.3.1)`,
      got: `${r.dataReceived} DATA packets`,
      log: s.tail(),
      hint: "This is the Sorcerer's Apprentice bug: each duplicate ACK sends DATA 4 again, the client acknowledges both copies, each ACK sends DATA 5… and every block travels twice from then on. Resend only when the timer fires; an ACK for a block already acknowledged does nothing.",
    });
  });

  it('survives 5 % seeded random loss both ways, windowsize 8', async () => {
    await expectFile(await server(), file('random'), { options: [['windowsize', '8']], impair: { seed: 9, loss: 0.05, delayMs: 0 }, deadlineMs: 15_000 }, (r) =>
      stalledAfter(r) !== undefined ? undefined : 'Lost blocks and lost ACKs, at random: after a gap the client acknowledges the last block it got in order, and the server goes on from the one after it; after a timeout, the server sends again the window from the first block not acknowledged.',
    );
  });

  // ---- transfer IDs ----

  it('answers a packet from another port with ERROR 5, and the transfer goes on undisturbed', async () => {
    const s = await server();
    const strangers = [await openSocket('127.0.0.1')];
    const replies: { who: string; p: Packet }[] = [];
    let clientPort = 0;
    const r = await get(s, file('tid'), {
      // While the client holds back its ACK 2 for 100 ms, strangers send ACK 2 to the transfer's
      // port: one from another port of 127.0.0.1, one from the client's own port number on
      // 127.0.0.2 (where this system has it). The server must answer each with ERROR 5.
      delayAck: (block, copy) => (block === 2 && copy === 1 ? 100 : 0),
      onPacket: (p, t) => {
        clientPort = t.result.client.port;
        if (p.op !== OP.DATA || p.block !== 2 || (t.result.copies[2] ?? 0) > 0) return;
        void (async () => {
          try {
            strangers.push(await openSocketAt('127.0.0.2', clientPort));
          } catch {
            // macOS has no 127.0.0.2: one stranger is enough there.
          }
          for (const socket of strangers) {
            const who = formatEndpoint(socket.address().address, socket.address().port);
            socket.on('message', (data, rinfo) => replies.push({ who, p: decode({ data, address: rinfo.address, port: rinfo.port, at: performance.now() }) }));
            send(socket, ackPacket(2), p.from);
          }
        })();
      },
    });
    const problem = transferProblem(s, r, contents(file('tid')), (r) => (r.early ? "The server took a stranger's ACK 2 for the client's, and sent DATA 3. Packets from another address or port are not the client's: answer them ERROR 5, and leave the transfer as it was." : undefined));
    await sleep(20);
    const who = strangers.map((x) => formatEndpoint(x.address().address, x.address().port));
    const wrong = who.filter((w) => !replies.some((x) => x.who === w && x.p.op === OP.ERROR && x.p.code === 5));
    const strays = replies.filter((x) => x.p.op !== OP.ERROR || x.p.code !== 5);
    if (!problem && wrong.length === 0 && strays.length === 0) return;
    throw (
      problem ??
      new CheckFailure({
        summary: strays.length > 0 ? `A stranger got ${describePacket(strays[0]!.p)} from the transfer.` : `${wrong.join(' and ')} got no ERROR 5 for an ACK sent to the transfer's port.`,
        sent: `${r.sent}; then ACK 2 to the transfer's port ${r.tid!.port} from ${who.join(' and from ')}`,
        expected: "ERROR 5 (unknown transfer ID) to each stranger, from the transfer's port; the client's transfer unchanged",
        got: replies.length > 0 ? replies.map((x) => `${x.who} got ${describePacket(x.p)}`).join('\n') : 'nothing came back to the strangers',
        log: s.tail(),
        hint: `Compare both the address and the port of every packet with the client's (rinfo.address and rinfo.port): 127.0.0.2:${clientPort} has the client's port number, another port of 127.0.0.1 its address. Neither is the client.`,
      })
    );
  });

  it(CLIENT_ERROR_CHECK, () => played(CLIENT_ERROR_CHECK));

  it('serves twenty clients at once, each from a port of its own', async () => {
    const s = await server();
    const results = await Promise.all(TWENTY.map((name) => get(s, name, { options: PATIENT })));
    for (const [i, r] of results.entries()) {
      const problem = transferProblem(s, r, contents(TWENTY[i]!), (r) => (stalledAfter(r) === undefined ? 'Twenty transfers at once: everything about one (its socket, its file, its block, its timer) belongs to that transfer, and nothing is shared.' : undefined));
      if (problem) throw problem;
    }
    const ports = new Set(results.map((r) => r.tid!.port));
    if (ports.size === 20 && !ports.has(s.port)) return;
    throw new CheckFailure({
      summary: `Twenty transfers came from ${ports.size} port${ports.size === 1 ? '' : 's'}${ports.has(s.port) ? `, the server's own ${s.port} among them` : ''}.`,
      sent: `twenty RRQs at once, from twenty clients, for ${TWENTY[0]} … ${TWENTY[19]}`,
      expected: "each file from a port of its own: one socket per transfer, not the server's",
      got: [...ports].join(', '),
      hint: 'Create a new socket for each request (dgram.createSocket, bind(0, host)): its port is the transfer ID, and each transfer needs its own.',
    });
  });

  // ---- errors ----

  it('answers ERROR 1 for a file that does not exist, or a folder', async () => {
    const s = await server();
    await expectRefused(s, rrq('no-such-file.bin'), describeRequest('no-such-file.bin'), [1], (p) =>
      p ? 'A file that is not there is ERROR 1, "File not found".' : "Answer a request you cannot serve with an ERROR packet: without one, the client waits for its timeout, then tries again.",
    );
    await expectRefused(s, rrq('sub'), `${describeRequest('sub')} (a folder)`, [1, 2], () => 'A folder is not a file: stat() it, and answer ERROR 1 unless isFile().');
  });

  it('answers ERROR 2 for every path out of the root: "..", absolute, a symbolic link, a sibling folder', async () => {
    const s = await server();
    const escapes = [
      ['../outside/secret.txt', 'climbs out with ".."'],
      ['sub/../../outside/secret.txt', 'climbs out after a folder'],
      [path.join(fx.outside, 'secret.txt'), 'is absolute'],
      ['link-out.txt', 'is a symbolic link to a file out of the root'],
      ['link-dir/secret.txt', 'goes through a symbolic link to a folder out of the root'],
      [`../${path.basename(fx.sibling)}/secret.txt`, `reaches ${path.basename(fx.sibling)}/, whose name starts like the root's`],
    ] as const;
    const wrong: string[] = [];
    for (const [name, what] of escapes) {
      if (name.startsWith('link') && !existsSync(path.join(fx.root, name.split('/')[0]!))) continue;
      const steps = await Steps.open(s);
      await steps.send(rrq(name));
      const p = await steps.next(1000);
      if (p?.op === OP.ERROR && p.code === 2 && !p.malformed) continue;
      wrong.push(`"${name}" (${what}): ${p ? describeFrom(p, s.endpoint) : 'no answer within 1000 ms'}`);
    }
    if (wrong.length === 0) return;
    await sleep(LOG_LAG_MS);
    ensureRunning(s, 'after requests for paths out of its root');
    const served = wrong.some((w) => w.includes(': DATA'));
    throw new CheckFailure({
      summary: served ? `The server sent a file from outside its root (${wrong.filter((w) => w.includes(': DATA')).length} of ${escapes.length} cases).` : `${wrong.length} of ${escapes.length} paths out of the root were not answered with ERROR 2.`,
      sent: `an RRQ for each of: ${escapes.map(([n]) => `"${n}"`).join(', ')}`,
      expected: 'ERROR 2 (access violation) for each, and never a byte of the file',
      got: wrong.join('\n'),
      log: s.tail(),
      hint:
        wrong.some((w) => w.includes('whose name starts'))
          ? 'resolved.startsWith(root) is true for "/srv/files-private" when the root is "/srv/files". Use path.relative(root, resolved): it must not be "..", start with "../", or be absolute.'
          : wrong.some((w) => w.includes('symbolic'))
            ? 'path.resolve() reads names, not the disk: a link inside the root can point anywhere. fs.realpath() follows every link; check that the real path is still inside the (real) root.'
            : wrong.some((w) => w.includes('absolute'))
              ? 'path.resolve(root, "/etc/passwd") is "/etc/passwd": refuse absolute filenames (path.isAbsolute) before anything else.'
              : 'Resolve the filename against the root, and refuse anything whose path.relative(root, resolved) starts with "..".',
    });
  });

  it('refuses a write request with ERROR 4, and writes nothing', async () => {
    const s = await server();
    const name = 'upload.bin';
    await expectRefused(s, rrq(name, 'octet', [], OP.WRQ), `WRQ ${JSON.stringify(name)} octet`, [4], (p) =>
      p?.op === OP.ACK
        ? 'An ACK 0 accepts the write: this server is read-only, and answers a WRQ with ERROR 4.'
        : 'This server is read-only: a WRQ (opcode 2) gets ERROR 4, "Illegal TFTP operation".',
    );
    if (!existsSync(path.join(fx.root, name))) return;
    throw new CheckFailure({ summary: `The server created ${name} in its root for a refused WRQ.`, hint: 'Refuse a WRQ before touching the disk.' });
  });

  it('refuses netascii and mail with ERROR 4, and reads "OcTeT" as octet', async () => {
    const s = await server();
    for (const mode of ['netascii', 'mail']) {
      await expectRefused(s, rrq(file('small'), mode), describeRequest(file('small'), mode), [4], (p) =>
        p?.op === OP.DATA || p?.op === OP.OACK
          ? `Mode "${mode}" asks the server to convert the file (netascii: line ends as CR LF); this one sends bytes as they are, so it refuses any mode but octet with ERROR 4.`
          : `Answer a mode other than octet with ERROR 4, "Illegal TFTP operation".`,
      );
    }
    await expectFile(s, file('small'), { mode: 'OcTeT' }, () => 'The mode is case-insensitive (RFC 1350): compare mode.toLowerCase() with "octet".');
  });

  it(MALFORMED_CHECK, () => played(MALFORMED_CHECK));

  // ---- the real thing ----

  it('curl tftp://127.0.0.1:P/FILE --tftp-blksize 1024 fetches the file byte-exact', async (ctx) => {
    if (hasCurl) return ctx.skip(hasCurl);
    const s = await server();
    const url = `tftp://${s.host}:${s.port}/${file('curl')}`;
    const { code, stdout, stderr } = await run('curl', ['-sS', '--max-time', '3', '--tftp-blksize', '1024', url, '-o', '-'], 5000);
    const want = contents(file('curl'));
    if (code === 0 && stdout.equals(want)) return;
    const meaning: Record<number, string> = { 28: 'it timed out', 68: 'file not found', 69: 'access violation', 71: 'illegal TFTP operation', 72: 'unknown transfer ID' };
    throw new CheckFailure({
      summary: code === 0 ? `curl fetched ${num(stdout.length)} bytes, and they are not the file: ${difference(want, stdout, 1024)}.` : `curl failed with exit code ${code}${code !== null && meaning[code] ? ` (${meaning[code]})` : ''}.`,
      sent: `curl -sS --tftp-blksize 1024 ${url} -o -`,
      expected: `the ${num(want.length)} bytes of ${file('curl')} (curl's RRQ asks for tsize=0, blksize=1024 and a timeout)`,
      got: stderr.trim() || `${num(stdout.length)} bytes on stdout`,
      log: s.tail(),
      hint: 'Run the same curl command with -v instead of -sS to see each step of the transfer.',
    });
  });

  // ---- sequence numbers wrap: last, since a server that dies at block 65,536 takes every
  // later check with it (played early, on a copy of the server of its own) ----

  it(WRAP_CHECK, () => played(WRAP_CHECK));
});

// ---- helpers that need the server ----

function ensureResent(s: ServerProcess, r: FetchResult & { sent: string }, block: number, what: string): void {
  if ((r.copies[block] ?? 0) >= 2) return;
  throw new CheckFailure({
    summary: `The transfer completed, but DATA ${block} came only once, although ${what}.`,
    sent: r.sent,
    expected: `DATA ${block} a second time, after --timeout-ms (${TIMEOUT_MS} ms)`,
    got: r.trace.join('\n'),
    log: s.tail(),
  });
}

/** The packets that reach a finished transfer's client (from get) after it stopped, within `ms` from now. */
async function more(r: { late: Packet[] }, ms: number): Promise<Packet[]> {
  await sleep(ms);
  return [...r.late];
}

async function openSocketAt(address: string, port: number) {
  const socket = await UdpClient.openAt(address, port);
  return socket.socket;
}

function run(command: string, args: string[], ms: number): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', (err) => (stderr += err.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

// ---- the window, step by step (RFC 7440) ----

interface WindowRun {
  steps: Steps;
  firstWindow?: CheckFailure;
  restart?: CheckFailure;
  stale?: CheckFailure;
}

let windowRun: Promise<WindowRun> | undefined;

function stepFailure(w: WindowRun, why: string): CheckFailure {
  return new CheckFailure({ summary: `This step could not be checked: ${why}.`, got: w.steps.seen.join('\n') });
}

/**
 * One transfer of window.bin with windowsize=4 (and timeout=1, so that no timeout interferes),
 * step by step, for three checks: the first window, a restart after an ACK inside a window, and
 * a late ACK from an earlier window. Run once, as the file begins ('file') or by whichever of
 * them runs first ('test'), on a copy of the server from `copy`.
 */
function windowScenario(copy: (scope: Scope) => Promise<ServerProcess>, scope: Scope): Promise<WindowRun> {
  windowRun ??= (async () => {
    const s = await copy(scope);
    const steps = await Steps.open(s, undefined, scope);
    const w: WindowRun = { steps };
    const name = file('window');
    const request = describeRequest(name, 'octet', [['windowsize', '4'], ['timeout', '1']]);
    const fail = (summary: string, expected: string, hint: string) =>
      new CheckFailure({ summary, sent: `${request}, then ACKs as shown`, expected, got: steps.seen.join('\n'), log: s.tail(), hint });
    await steps.send(rrq(name, 'octet', [['windowsize', '4'], ['timeout', '1']]), s.endpoint, request);
    const oack = await steps.next(1000);
    if (oack?.op !== OP.OACK || oack.options?.get('windowsize') !== '4') {
      w.firstWindow = fail(
        oack ? `The answer to windowsize=4 is ${describePacket(oack)}, not an OACK with windowsize=4.` : 'No answer came to the request.',
        'OACK windowsize=4 timeout=1',
        'negotiate(): a windowsize from 1 to 65,535 is accepted as asked, and goes in the OACK.',
      );
      return w;
    }
    const tid = oack.from;
    const ack = (n: number, note = '') => steps.send(ackPacket(n), tid, `ACK ${n}${note}`);
    /** The DATA blocks that come within `ms`, in order, duplicates included. */
    const dataWithin = async (ms: number) => (await steps.during(ms)).filter((p) => p.op === OP.DATA).map((p) => p.block!);
    /** Waits up to 900 ms (less than the 1 s timeout) for blocks `want`, then `extraMs` for more. */
    const expectWindow = async (want: number[], extraMs = 0) => {
      const got: number[] = [];
      const until = performance.now() + 900;
      while (!want.every((b) => got.includes(b)) && performance.now() < until) {
        const p = await steps.next(until - performance.now());
        if (p?.op === OP.DATA) got.push(p.block!);
      }
      got.push(...(await dataWithin(extraMs)));
      return got;
    };

    await ack(0);
    const first = await expectWindow([1, 2, 3, 4], 80);
    if (![1, 2, 3, 4].every((b) => first.includes(b)) || first.some((b) => b > 4)) {
      w.firstWindow = fail(
        first.some((b) => b > 4) ? `Before any ACK of data, the server sent block ${Math.max(...first)}: more than the window of 4.` : `After ACK 0 the server sent ${first.length === 0 ? 'nothing' : `only block${first.length === 1 ? '' : 's'} ${[...new Set(first)].join(', ')}`} and waited, where windowsize=4 lets it send 1 to 4.`,
        'DATA 1, 2, 3 and 4 without waiting for an ACK, then nothing more until ACK 4',
        first.some((b) => b > 4) ? 'Send at most windowsize blocks past the last one acknowledged.' : 'With windowsize W, send blocks acked+1 to acked+W in a row, then wait for an ACK.',
      );
      return w;
    }
    await ack(4);
    const second = await expectWindow([5, 6, 7, 8]);
    if (![5, 6, 7, 8].every((b) => second.includes(b))) {
      w.firstWindow = fail(`After ACK 4 the server sent ${second.join(', ') || 'nothing'}, not blocks 5 to 8.`, 'DATA 5, 6, 7, 8', 'An ACK for the last block of a window opens the next window: blocks n+1 to n+W.');
      return w;
    }
    // As if 7 had been lost: the client has 5 and 6, and says so.
    await ack(6, ' (as if DATA 7 had been lost)');
    const restart = await expectWindow([7, 8, 9, 10]);
    if (restart.slice(0, 4).join() !== '7,8,9,10') {
      w.restart = fail(
        `After ACK 6 the server sent ${restart.join(', ') || 'nothing'}, where it should go on from block 7: 7, 8, 9, 10.`,
        'DATA 7, 8, 9, 10: ACK 6 says "I have everything up to 6", so the window starts at 7 (RFC 7440)',
        restart.length === 0
          ? 'An ACK for a block inside the window (here 6 of 5 to 8) is progress too: move acked to 6, and send the window from 7.'
          : 'After an ACK for block n, send n+1 to n+W, even those sent before: the client dropped everything after the gap.',
      );
      return w;
    }
    // A late ACK 5, from before ACK 6: it must change nothing.
    await ack(5, ' (late: ACK 6 has been sent already)');
    const stale = await dataWithin(250);
    if (stale.length > 0) {
      w.stale = fail(
        `After a late ACK 5, the server sent ${stale.join(', ')} again.`,
        'nothing: block 5 was acknowledged already (by ACK 6), so its ACK changes nothing',
        "Ignore an ACK for a block already acknowledged, whatever the window: rewinding on it is the Sorcerer's Apprentice bug again (RFC 1123), with windows.",
      );
      return w;
    }
    await steps.send(errorPacket(0, 'enough'), tid, 'ERROR 0 "enough": the check is over');
    return w;
  })();
  return windowRun;
}

// ---- the checks played early (see above) ----

async function timeoutScenario(s: ServerProcess, tally: Tally): Promise<void> {
  // ACK 0 goes out 200 ms late: a server that kept its own 30 ms timeout sends the OACK again
  // meanwhile, one that waits its second does not.
  const r = await expectFile(s, file('small'), { options: [['timeout', '1']], delayAck: (block, copy) => (block === 0 && copy === 1 ? 200 : 0) }, undefined, tally);
  const value = r.oack?.options?.get('timeout');
  const again = r.oackAt.length > 1 ? Math.round(r.oackAt[1]! - r.oackAt[0]!) : undefined;
  if (value === '1' && (again === undefined || again >= 180)) return;
  throw new CheckFailure({
    summary: value !== '1' ? `The OACK says timeout=${value ?? '(nothing)'}, not 1.` : `The server sent the OACK again after ${again} ms, although the client had asked for a timeout of 1 s.`,
    sent: `${r.sent}; then ACK 0, 200 ms after the OACK`,
    expected: 'OACK timeout=1 (the same value: RFC 2349), and no second OACK within those 200 ms',
    got: r.trace.join('\n'),
    log: s.tail(),
    hint: value !== '1'
      ? 'negotiate(): a timeout from 1 to 255 seconds is accepted as asked, and the OACK repeats it.'
      : 'Use the negotiated timeout for this transfer, in milliseconds: agreed.timeoutMs ?? TIMEOUT_MS (the option is in seconds).',
  });
}

async function givesUpScenario(s: ServerProcess, tally: Tally): Promise<void> {
  const mark = s.printed;
  // Once DATA 1 has come twice, a pause of the machine no longer costs the verdict (see below):
  // the wrap may begin.
  let data = 0;
  const heard = (p: Packet) => {
    if (p.op === OP.DATA && ++data === 2) quiet.givesUp.open();
  };
  const r = await get(s, file('loss'), { loseAck: () => true, idleMs: 3 * TIMEOUT_MS, deadlineMs: 3000, onPacket: heard }, tally);
  let copies = r.copies[1] ?? 0;
  // A busy machine may delay the server's timers past the client's patience: before calling
  // it too few, listen a second longer.
  if (copies >= 2 && copies < RETRIES + 1) copies += (await more(r, 1000)).filter((p) => p.op === OP.DATA && p.block === 1).length;
  const shown = `${r.sent}; no ACK ever sent`;
  const expected = `DATA 1, ${RETRIES} more times ${TIMEOUT_MS} ms apart (--retries ${RETRIES}), then nothing; a log line naming ${formatEndpoint(r.client.address, r.client.port)}; the transfer's port closed`;
  if (copies !== RETRIES + 1 || !r.why?.startsWith('nothing came')) {
    ensureRunning(s, 'while it was retransmitting');
    throw new CheckFailure({
      summary:
        copies <= 1 ? `DATA 1 came ${copies === 0 ? 'never' : 'once'}: the server did not send it again without its ACK.`
        : !r.why?.startsWith('nothing came') ? `The server was still sending after ${copies} copies of DATA 1 in 3 s.`
        : `DATA 1 came ${copies} times: the first, and ${copies - 1} retransmission${copies === 2 ? '' : 's'}, where --retries ${RETRIES} means ${RETRIES}.`,
      sent: shown,
      expected,
      got: r.trace.join('\n'),
      log: s.tail(),
      hint: copies <= 1
        ? `Set a timer each time you send; when it fires (--timeout-ms, ${TIMEOUT_MS} ms here) before the ACK, send again.`
        : `Count the timeouts in a row: after ${RETRIES} retransmissions, the next timeout ends the transfer. A client that is gone never answers; a server that never gives up keeps its socket, and sends, for ever.`,
    });
  }
  const client = { address: r.client.address, port: r.client.port };
  const logged = () => s.linesSince(mark).some((line) => namesEndpoint(line, client) && /gave up|give up|giving up|timed? ?out|retr|abort|no ack/i.test(line));
  const deadline = performance.now() + 500;
  while (!logged() && performance.now() < deadline) await sleep(20);
  const closed = await portClosed(s, r.tid!.port, 300);
  if (logged() && closed !== false) return;
  throw new CheckFailure({
    summary: logged() ? `The server gave up, but port ${r.tid!.port}, the transfer's, is still open.` : 'The server stopped sending, but no log line says that it gave up, and on whom.',
    sent: shown,
    expected,
    got: logged() ? `port ${r.tid!.port} still bound` : `no line naming ${formatEndpoint(client.address, client.port)} and saying it gave up (or timed out)`,
    log: s.linesSince(mark).slice(-8),
    hint: logged()
      ? 'Close the socket when the transfer gives up: a transfer nobody will finish must not keep its port.'
      : `Log one line when a transfer gives up, with the client's address and port: e.g. "Gave up on "loss.bin" for ${formatEndpoint(client.address, client.port)}: no ACK after ${RETRIES} retransmissions".`,
  });
}

async function malformedScenario(s: ServerProcess, tally: Tally): Promise<void> {
  const bad: [Buffer, string][] = [
    [Buffer.from('hello'), '"hello" (5 B)'],
    [Buffer.from([0]), 'a single byte 00'],
    [rrq(file('small')).subarray(0, -1), 'an RRQ whose mode does not end with a zero byte'],
    [Buffer.from([0, 1, 0x61, 0]), 'an RRQ with a filename and no mode'],
    [Buffer.from([0, 9, 0, 0]), 'opcode 9'],
    [ackPacket(1), 'an ACK sent to the server\'s port'],
  ];
  for (const [packet, shown] of bad) {
    await expectRefused(s, packet, shown, [4], (p) =>
      p ? 'Anything on port P that is not a well-formed RRQ or WRQ gets ERROR 4: parseRequest() says what is wrong.' : "A packet that is not a request must not end the server or go unanswered: answer ERROR 4, and keep serving.",
      tally,
    );
  }
  const steps = await Steps.open(s, undefined, tally.scope);
  await steps.send(errorPacket(0, 'nothing'), s.endpoint, 'ERROR 0 "nothing" to the server\'s port');
  const answer = await steps.next(100);
  if (answer) {
    throw new CheckFailure({
      summary: `The server answered an ERROR with ${describePacket(answer)}.`,
      sent: `ERROR 0 "nothing" from ${steps.client.endpoint} to port ${s.port}`,
      expected: 'no answer: an ERROR ends something, and answering it could start two servers answering each other for ever',
      got: describeFrom(answer, s.endpoint),
      hint: 'Before you refuse a packet, look at its opcode: an ERROR (5) gets no answer.',
    });
  }
  await expectFile(s, file('b511'), {}, () => 'After the malformed packets, the server must still serve files.', tally);
}

async function wrapScenario(s: ServerProcess, tally: Tally): Promise<void> {
  const total = blocks(WRAP_SIZE, 8);
  contents(file('wrap')); // written now, when first needed
  await expectFile(
    s,
    file('wrap'),
    {
      options: [['blksize', '8'], ['windowsize', '64'], ...PATIENT],
      deadlineMs: 60_000,
      // Without a working window this is 65,536 round trips, a minute or more: say so early.
      pace: (r, ms) => (ms > 5000 && r.dataReceived < total / 10 ? `after ${(ms / 1000).toFixed(0)} s only ${num(r.dataReceived)} of ${num(total)} blocks had come` : undefined),
    },
    (r) => {
      if (s.crashReport()?.log.some((l) => /RangeError|out of range/i.test(l))) {
        return 'Block 65,536 does not fit in 16 bits, and writeUInt16BE throws a RangeError for it: put block & 0xffff on the wire, and keep counting past 65,535 in your own variables.';
      }
      if (r.trace.some((l) => /^← DATA 1, but 0 was expected/.test(l))) return 'After 65,535 comes 0, not 1: block & 0xffff (or block % 65536).';
      if (r.why?.startsWith('after ')) return 'This check asks for windowsize=64, so that its 65,536 blocks take a second rather than minutes: see the windowsize checks first.';
      if ((r.distinct > 65_535 || r.dataReceived > 65_535) && !r.complete) {
        return `The file is ${num(WRAP_SIZE)} bytes: 65,535 blocks of 8, then block 65,536, of 5 bytes, numbered 0 on the wire. Count blocks past 65,535 (only the number you write is 16 bits), and read an ACK for 0 then as block 65,536.`;
      }
      return undefined;
    },
    tally,
  );
}

async function clientErrorScenario(s: ServerProcess, tally: Tally): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const steps = await Steps.open(s, undefined, tally.scope);
    const askedAt = performance.now();
    await steps.send(rrq(file('loss')), s.endpoint, describeRequest(file('loss')));
    const first = await steps.next(1000);
    if (first?.op !== OP.DATA) {
      throw new CheckFailure({ summary: 'The server did not answer the request with DATA 1.', got: steps.seen.join('\n'), log: s.tail() });
    }
    // The server's --timeout-ms is 30 ms: until the ERROR reaches it, its timer sends DATA 1
    // again, once a timeout, and on a loaded machine it may do so once more before it reads the
    // ERROR (libuv runs due timers before it polls for datagrams). So DATA 1 again, as often as
    // the timeouts between the request and the ERROR allow and once more, is no mistake; anything
    // more is. (A checker held up before it read DATA 1 sends its ERROR late.) A checker held up
    // for half of the 30 ms before it sent the ERROR makes the once more likelier: such a run
    // that saw more is played again, three times at most.
    const errorAt = performance.now();
    const late = errorAt - steps.lastAt > TIMEOUT_MS / 2;
    await steps.send(errorPacket(0, 'cancelled by the user'), first.from, 'ERROR 0 "cancelled by the user"');
    const after = await steps.during(4 * TIMEOUT_MS);
    const closed = await portClosed(s, first.from.port, 300);
    const resends = Math.floor((errorAt - askedAt) / TIMEOUT_MS) + 1;
    const inFlight = after.length <= resends && after.every((p) => p.op === OP.DATA && p.block === 1);
    if ((after.length === 0 || inFlight) && closed !== false) return;
    if (late && attempt < 3 && after.length > 0) continue;
    failClientError(s, steps, after, first, closed);
  }
}

function failClientError(s: ServerProcess, steps: Steps, after: Packet[], first: Packet, closed: boolean | undefined): never {
  throw new CheckFailure({
    summary: after.length > 0 ? `After the client's ERROR, the server sent ${after.length} more packet${after.length === 1 ? '' : 's'}.` : `After the client's ERROR, port ${first.from.port} is still open.`,
    sent: `${describeRequest(file('loss'))}, then, instead of ACK 1, ERROR 0 to the transfer's port`,
    expected: 'nothing more: an ERROR ends the transfer (RFC 1350); its socket closed',
    got: steps.seen.join('\n'),
    log: s.tail(),
    hint: "An ERROR from the client ends the transfer: stop the timer, close the socket, and do not answer it (an ERROR is never answered with an ERROR).",
  });
}

async function lostLastScenario(s: ServerProcess, tally: Tally): Promise<void> {
  const last = blocks(FILES.loss);
  const r = await expectFile(
    s,
    file('loss'),
    { loseAck: (block, copy) => block === last && copy === 1 },
    (r) =>
      !afterLoss(r) ? undefined : `The transfer is over when the ACK of the last block arrives, not when the last block is sent: until then, it may have been lost, and goes again after --timeout-ms (${TIMEOUT_MS} ms).`,
    tally,
  );
  ensureResent(s, r, last, `the ACK of DATA ${last}, the last block, was lost on purpose`);
}
