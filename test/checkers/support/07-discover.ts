// Lesson 07's checks of discover(): the scenarios it is called in, against the checker's
// stand-ins (07-broadcast.ts), and what its outcome says. Every call runs in a probe process
// through 07-driver.ts, which also records what discover() sent.
//   five    five stand-ins, each with a script that stands in for a lossy network: one answers
//           only the 3rd probe, one only the 2nd, one only the 1st and late, one every probe twice;
//   bad     two good stand-ins, a third at the discovery port that sends what is not a reply,
//           and a forger at another port;
//   nobody  a stand-in that never answers.

import { CheckFailure, LabProbe, describeUnsettled, seededRandom, type ProbeOutcome } from '../../../tools/harness/index.ts';
import { BROADCAST, StandIns, type StandIn } from './07-broadcast.ts';
import type { DriverResult, Sent } from './07-driver.ts';
import { relativeToRoot } from '../../../tools/course/paths.ts';

/** "HERE m1", or hex for bytes that are not printable ASCII: short, for lists of datagrams. */
export function compact(data: Buffer | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  if (bytes.length === 0) return '(empty)';
  const ascii = bytes.toString('latin1');
  if (/^[ -~]*$/.test(ascii)) return JSON.stringify(ascii.length > 24 ? `${ascii.slice(0, 10)}…${ascii.slice(-10)}` : ascii);
  return `hex ${bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ')}`;
}

const DRIVER = new URL('./07-driver.ts', import.meta.url);

export interface Options {
  port: number;
  timeoutMs: number;
  probes: number;
}

export interface Run {
  /** The lab's discover.ts. */
  file: string;
  options: Options;
  outcome: ProbeOutcome;
  stand?: StandIns;
}

export const shownCall = (o: Options) => `discover({ port: ${o.port}, timeoutMs: ${o.timeoutMs}, probes: ${o.probes} })`;

/**
 * The calls of one checker file: one probe for the lab's discover.ts, and each scenario run once,
 * whichever check asks first.
 */
export class Discoveries {
  private readonly file: string;
  /** A probe process per lane: calls in different lanes run side by side, those in one lane in turn. */
  private readonly probes = new Map<string, LabProbe>();
  private readonly runs = new Map<string, Promise<Run>>();

  constructor(file: string) {
    this.file = file;
  }

  /**
   * discover(options) in the probe of `lane`; the outcome, whatever it is (a CheckFailure if the
   * file does not load). A probe makes one call at a time, as each is checked for what it left open.
   */
  call(options: Options, stand?: StandIns, openAfterMs = 0, lane = 'main'): Promise<Run> {
    let probe = this.probes.get(lane);
    if (!probe) {
      probe = new LabProbe(this.file, { driver: DRIVER, scope: 'file' });
      this.probes.set(lane, probe);
    }
    const run = probe
      .call('discover', [options], { timeoutMs: options.timeoutMs + 2000, openAfterMs })
      .then((outcome) => ({ file: this.file, options, outcome, stand }));
    run.catch(() => {}); // awaited, and reported, by the checks
    return run;
  }

  /** A scenario against the checker's stand-ins, run once. */
  scenario(name: 'five' | 'bad' | 'nobody'): Promise<Run> {
    let run = this.runs.get(name);
    if (!run) {
      run = (async () => {
        const script = name === 'five' ? FIVE : name === 'bad' ? BAD : [{ name: 'silent', answer: () => [] }];
        const stand = await StandIns.open(script);
        // The longest, in a probe of its own; the other two share one.
        if (name === 'five') return this.call({ port: stand.port, timeoutMs: FIVE_MS, probes: 3 }, stand, 100, 'five');
        if (name === 'bad') return this.call({ port: stand.port, timeoutMs: BAD_MS, probes: 2 }, stand);
        return this.call({ port: stand.port, timeoutMs: NOBODY_MS, probes: 2 }, stand);
      })();
      run.catch(() => {});
      this.runs.set(name, run);
    }
    return run;
  }
}

// A: five stand-ins, whose scripts stand in for a lossy network. Their delays are seeded.
export const FIVE_MS = 450;
/** Half the timeout: late, with time to spare on a busy machine. */
export const LATE_MS = FIVE_MS / 2;
const random = seededRandom(20070);
const delay = () => 5 + Math.floor(random() * 30);
const delays = Array.from({ length: 4 }, () => Array.from({ length: 4 }, delay));
export const FIVE: (StandIn & { port: number; story: string })[] = [
  { name: 'alpha', port: 7001, story: 'answers only your 3rd probe', answer: (n) => (n === 3 ? [{ data: 'HERE alpha 7001', afterMs: delays[0]![n]! }] : []) },
  {
    name: 'bravo',
    port: 7002,
    story: 'answers every probe, and sends each reply twice',
    answer: (n) => (n <= 3 ? [0, 1].map((k) => ({ data: 'HERE bravo 7002', afterMs: delays[1]![n]! + k })) : []),
  },
  { name: 'charlie', port: 7003, story: 'answers only your 2nd probe', answer: (n) => (n === 2 ? [{ data: 'HERE charlie 7003', afterMs: delays[2]![n]! }] : []) },
  {
    name: 'delta',
    port: 7004,
    story: `answers only your 1st probe, ${LATE_MS} ms after it`,
    answer: (n) => (n === 1 ? [{ data: 'HERE delta 7004', afterMs: LATE_MS }] : []),
  },
  { name: 'echo', port: 7005, story: 'answers your 1st and 3rd probes at once', answer: (n) => (n === 1 || n === 3 ? [{ data: 'HERE echo 7005', afterMs: 1 }] : []) },
];

// B: two good stand-ins, one at the same port sending what is not a reply, and a forger.
export const BAD_MS = 400;
export const MALFORMED: (string | Buffer)[] = [
  'DISCOVER',
  'HERE',
  'HERE m1',
  'HERE m2 ',
  'HERE  7001',
  'here m3 7001',
  'HERE m4 7001 extra',
  'HERE m5 0',
  'HERE m6 65536',
  'HERE m7 7001abc',
  'HERE m8 1e3',
  'HERE m9 -1',
  'HERE m10 7001.5',
  Buffer.from('HERE m\xe911 7001', 'latin1'),
  `HERE ${'x'.repeat(64)} 7001`,
  Buffer.alloc(0),
];
export const FORGED = ['HERE mallory 6666', 'HERE kilo 6666'];
const BAD: StandIn[] = [
  { name: 'kilo', answer: () => [{ data: 'HERE kilo 7011', afterMs: 20 }] },
  { name: 'lima', answer: () => [{ data: 'HERE lima 7012', afterMs: 10 }] },
  { name: 'junk', answer: (n) => (n === 1 ? MALFORMED.map((data, i) => ({ data, afterMs: i })) : []) },
  { name: 'forger', answer: (n) => (n === 1 ? FORGED.map((data) => ({ data, afterMs: 0, forged: true })) : []) },
];

export const NOBODY_MS = 150;

type Settled = Extract<DriverResult, { settled: string }>;

const unsettledHint: Partial<Record<ProbeOutcome['settled'], string>> = {
  pending: 'Resolve once timeoutMs has passed, with whatever has arrived: a setTimeout(..., timeoutMs) that calls resolve. Replies never say "that was the last one".',
  blocked: 'Something in discover() never lets go of the event loop, such as a loop that waits for replies: nothing else can run then. Wait with events and timers.',
  crashed: "An exception escaped, which ends the whole program: a throw inside the 'message' handler (on a malformed reply?) or an 'error' event with no listener. Ignore what you cannot parse; listen for 'error'.",
};

/** What discover() did, or a failure that says why it did nothing useful. */
function settled(run: Run): Settled {
  const { outcome, options } = run;
  const shown = shownCall(options);
  const unsettled = describeUnsettled('discover()', outcome);
  if (unsettled || outcome.settled !== 'resolved') {
    const stderr = outcome.settled === 'crashed' && outcome.stderr.length > 0 ? `:\n${outcome.stderr.join('\n')}` : '';
    throw new CheckFailure({
      summary: `${(unsettled ?? 'discover() could not be called').replace(/^your/, 'Your')}.`,
      sent: shown,
      expected: `a promise that resolves with the servers found, about ${options.timeoutMs} ms later`,
      got: `${unsettled ?? outcome.settled}${stderr}`,
      hint: unsettledHint[outcome.settled],
    });
  }
  const result = outcome.value as DriverResult;
  if ('missing' in result) {
    throw new CheckFailure({
      summary: `${relativeToRoot(run.file)} does not export a function named discover.`,
      hint: "Keep the starter's `export function discover({ port, timeoutMs, probes })`: the checker calls it.",
    });
  }
  return result;
}

/** Fails when discover() rejected, or tried to send somewhere that is not this machine. */
export function resolvedValue(run: Run, expected: string): { value: unknown; ms: number; sends: Sent[] } {
  const result = settled(run);
  const refused = result.sends.filter((s) => s.refused);
  if (refused.length > 0) {
    throw new CheckFailure({
      summary: `discover() tried to send to ${refused[0]!.address}, which is not this machine; the checker stopped it.`,
      sent: shownCall(run.options),
      expected: `probes to ${BROADCAST}:${run.options.port}, loopback's broadcast address`,
      got: refused.map((s) => `"${s.text}" to ${s.address}:${s.port} (refused)`).join('\n'),
      hint: `${refused[0]!.address} reaches every host on your network, not just this machine. Send the probes to BROADCAST_ADDRESS, ${BROADCAST}: on loopback, it reaches every discovery server on this machine and nothing else.`,
    });
  }
  if (result.settled === 'rejected') {
    const { name, message, code } = result.error;
    const said = `${name}${code ? ` (${code})` : ''}: ${message}`;
    throw new CheckFailure({
      summary: 'discover() rejected instead of resolving with the servers it found.',
      sent: shownCall(run.options),
      expected,
      got: `rejected after ${result.ms} ms with ${said}`,
      hint: rejectionHint(said, run.file),
    });
  }
  return result;
}

function rejectionHint(said: string, file: string): string | undefined {
  if (/not written yet/.test(said)) return `Fill in the TODOs in ${relativeToRoot(file)}, one at a time.`;
  if (/EBADF/.test(said)) return 'setBroadcast throws EBADF before the socket is bound. Call it once bound, in the bind callback: socket.bind(() => { socket.setBroadcast(true); ... }).';
  if (/EACCES/.test(said)) return `The kernel refuses a datagram to ${BROADCAST} unless the socket allows broadcasts: socket.setBroadcast(true), once bound, before the first probe.`;
  if (/ERR_SOCKET_DGRAM_NOT_RUNNING|Not running/.test(said)) return 'Something used the socket after it was closed: a probe timer still running after the end? Clear every timer before closing.';
  return undefined;
}

/** "alpha 127.0.0.1:7001, bravo …", or the value as JSON when it is not a list of servers. */
export function describeFound(value: unknown): string {
  if (!Array.isArray(value)) return `${JSON.stringify(value) ?? String(value)} (not an array)`;
  if (value.length === 0) return '[] (no server)';
  const shown = value.slice(0, 8).map((v: unknown) => {
    const e = v as Partial<Record<string, unknown>>;
    return v && typeof v === 'object' && typeof e.name === 'string' ? `${e.name} ${String(e.address)}:${String(e.port)}` : JSON.stringify(v);
  });
  return `[${shown.join(', ')}${value.length > 8 ? `, … ${value.length - 8} more` : ''}]`;
}

interface FoundProblem {
  summary: string;
  hint: string;
}

/** What is wrong with the servers found, against the ones expected; undefined when right. */
export function foundProblem(value: unknown, want: readonly { name: string; port: number }[], sorted: boolean, why: (name: string) => string): FoundProblem | undefined {
  if (!Array.isArray(value)) return { summary: 'discover() did not resolve with an array.', hint: 'Resolve with an array of { name, address, port }, one per server found.' };
  const entries = value as Partial<Record<string, unknown>>[];
  const shape = entries.find((e) => !e || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.address !== 'string' || typeof e.port !== 'number');
  if (shape !== undefined) {
    return {
      summary: 'An entry is not { name, address, port } with a string, a string and a number.',
      hint: `Each entry: { name: 'alpha', address: rinfo.address, port: 7001 }, the port a number (Number of the digits), the address where the reply came from. This one is ${JSON.stringify(shape)}.`,
    };
  }
  const names = entries.map((e) => e.name as string);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) {
    return {
      summary: `${[...new Set(twice)].join(', ')} ${twice.length === 1 ? 'is' : 'are'} in the list more than once.`,
      hint: 'A server answers every probe, and a datagram can arrive twice: keep one entry per name (a Map keyed by name), the first reply winning.',
    };
  }
  const extra = names.filter((n) => !want.some((w) => w.name === n));
  if (extra.length > 0) return { summary: `discover() found ${extra.join(', ')}, which is no server.`, hint: why(extra[0]!) };
  const missing = want.filter((w) => !names.includes(w.name));
  if (missing.length > 0) {
    return {
      summary: `discover() found ${want.length - missing.length} of ${want.length} servers: ${missing.map((m) => m.name).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`,
      hint: why(missing[0]!.name),
    };
  }
  for (const w of want) {
    const e = entries.find((x) => x.name === w.name)!;
    if (e.port !== w.port) return { summary: `${w.name} is listed with port ${String(e.port)}, but it announced ${w.port}.`, hint: why(w.name) };
    if (e.address !== '127.0.0.1') {
      return { summary: `${w.name} is listed at address ${String(e.address)}, but its reply came from 127.0.0.1.`, hint: "The service is at the address the reply came from: rinfo.address, as 'message' gives it." };
    }
  }
  const inOrder = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted && names.join() !== inOrder.join()) {
    return { summary: 'The servers are not sorted by name.', hint: `Sort before resolving: ${inOrder.join(', ')}. The replies arrive in whatever order their delays give them.` };
  }
  return undefined;
}
