// Runs in lab 05's probe (tools/harness/probe.ts): each export receives the lab's send-large.ts
// module first, then the checker's arguments, and calls the learner's code as the check needs.
// Data is generated here from a seed rather than carried through the probe's pipe.

import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:dgram';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { HEADER, chunk, seededData, straddlingText } from './05-protocol.ts';

type SendLarge = (host: string, port: number, data: Buffer | string, options?: object) => Promise<unknown>;
type Lab = { sendLarge?: SendLarge };

function sendLargeOf(lab: Lab): SendLarge {
  if (typeof lab.sendLarge !== 'function') throw Object.assign(new Error('send-large.ts does not export a function named sendLarge'), { code: 'NO_EXPORT' });
  return lab.sendLarge;
}

/** Loads the lab, so that the first check does not wait for it. */
export function warm(): boolean {
  return true;
}

// ---- how the chunks are paced ----
//
// Every dgram socket made in this process is announced on the 'udp.socket' diagnostics channel
// as it is created; the driver wraps that socket's send() to note, for each chunk, the turn of
// the event loop it was handed over in (a turn ends when the loop reaches its setImmediate
// phase). The datagram itself goes out unchanged. From the first chunk until every index of
// the transfer has been handed over once (the first round), it also measures how long the event
// loop sat idle, waiting: a sender that pauses between bursts waits; one that does not, never.

export interface Pacing {
  /** Chunks handed to send() in the first round. */
  chunks: number;
  /** The most handed over in one turn of the event loop. */
  maxPerTurn: number;
  /** Turns of the event loop the first round took. */
  turns: number;
  /** Milliseconds the event loop sat waiting during the first round. */
  idleMs: number;
  /** Milliseconds the first round took. */
  ms: number;
}

interface Watch {
  turn: number;
  immediate: boolean;
  perTurn: Map<number, number>;
  indices: Set<number>;
  count: number | undefined;
  started?: { at: number; elu: EventLoopUtilization };
  result?: Pacing;
}

let watch: Watch | undefined;
/** How the last sendSeeded call paced its first round, whatever became of it. */
let last: Pacing | undefined;

export function lastPacing(): Pacing | undefined {
  return last;
}

function noteSend(socket: Socket, msg: unknown): void {
  const w = watch;
  if (!w || w.result) return;
  // An unbound socket binds first and calls send() again once bound: count that second call.
  try {
    socket.address();
  } catch {
    return;
  }
  const data = Buffer.isBuffer(msg) ? msg : Array.isArray(msg) ? Buffer.concat(msg.map((m) => Buffer.from(m as Buffer))) : typeof msg === 'string' ? Buffer.from(msg) : undefined;
  if (!data || data.length < HEADER) return;
  if (!w.immediate) {
    w.immediate = true;
    setImmediate(() => {
      w.immediate = false;
      w.turn++;
    });
  }
  w.started ??= { at: performance.now(), elu: performance.eventLoopUtilization() };
  w.perTurn.set(w.turn, (w.perTurn.get(w.turn) ?? 0) + 1);
  w.indices.add(data.readUInt32BE(4));
  w.count ??= data.readUInt32BE(8);
  if (w.indices.size >= w.count) {
    const elu = performance.eventLoopUtilization(w.started.elu);
    w.result = {
      chunks: [...w.perTurn.values()].reduce((a, b) => a + b, 0),
      maxPerTurn: Math.max(...w.perTurn.values()),
      turns: w.perTurn.size,
      idleMs: elu.idle,
      ms: performance.now() - w.started.at,
    };
  }
}

dc.subscribe('udp.socket', (message) => {
  const socket = (message as { socket?: Socket }).socket;
  if (!socket) return;
  const send = socket.send;
  socket.send = function (this: Socket, ...args: unknown[]) {
    noteSend(socket, args[0]);
    return (send as (...a: unknown[]) => void).apply(this, args);
  } as Socket['send'];
});

/** sendLarge of `size` seeded bytes; resolves with its value, how long the call took, and how it paced its first round. */
export async function sendSeeded(lab: Lab, port: number, size: number, seed: number, options: object): Promise<{ value: unknown; ms: number; pacing?: Pacing }> {
  const send = sendLargeOf(lab);
  const data = seededData(seed, size);
  watch = { turn: 0, immediate: false, perTurn: new Map(), indices: new Set(), count: undefined };
  last = undefined;
  const started = performance.now();
  try {
    const value = await send('127.0.0.1', port, data, options);
    return { value, ms: performance.now() - started, ...(watch.result ? { pacing: watch.result } : {}) };
  } finally {
    last = watch.result;
    watch = undefined;
  }
}

/** sendLarge of a string whose UTF-8 characters straddle the chunk boundaries. */
export async function sendText(lab: Lab, port: number, options: object): Promise<{ value: unknown; ms: number }> {
  const send = sendLargeOf(lab);
  watch = undefined;
  const started = performance.now();
  const value = await send('127.0.0.1', port, straddlingText(), options);
  return { value, ms: performance.now() - started };
}

// ---- the reassembler, on a clock of the checker's ----

export interface Step {
  /** The fake clock, in ms. */
  at: number;
  /** What was done, in words. */
  did: string;
  /** What came out, one line per event, or the exception. */
  events: string[];
}

type Event = { type?: unknown; to?: Peer; from?: Peer; text?: unknown; id?: unknown; data?: unknown; received?: unknown; count?: unknown };
type Peer = { address: string; port: number };
interface ReassemblerLike {
  receive(from: Peer, datagram: Buffer): Event[];
  tick(): Event[];
}

function show(e: Event): string {
  const peer = (p: Peer | undefined) => (p ? `${p.address}:${p.port}` : '?');
  if (e.type === 'reply') return `reply to ${peer(e.to)}: ${JSON.stringify(e.text)}`;
  if (e.type === 'delivered') return `delivered transfer ${String(e.id)} from ${peer(e.from)}: ${Buffer.isBuffer(e.data) ? JSON.stringify(e.data.toString('latin1')) : `a ${typeof e.data}, not a Buffer`}`;
  if (e.type === 'dropped') return `dropped transfer ${String(e.id)} from ${peer(e.from)}`;
  return `an event of type ${JSON.stringify(e.type)}`;
}

/**
 * Drives a Reassembler from the lab's reassembler.ts on a fake clock, with its default limits,
 * and returns what it did at each step. The checker holds the steps against the rules.
 */
export async function reassemble(_lab: Lab, file: string): Promise<{ steps: Step[]; problem?: string }> {
  const mod = (await import(pathToFileURL(file).href)) as { Reassembler?: new (options: { now: () => number }) => ReassemblerLike };
  if (typeof mod.Reassembler !== 'function') return { steps: [], problem: 'reassembler.ts does not export a class named Reassembler' };
  let now = 0;
  const r = new mod.Reassembler({ now: () => now });
  const A = { address: '127.0.0.1', port: 5000 };
  const B = { address: '127.0.0.1', port: 5001 };
  const steps: Step[] = [];
  const run = (at: number, did: string, act: () => Event[]) => {
    now = at;
    let events: string[];
    try {
      const out = act();
      events = Array.isArray(out) ? out.map(show) : [`returned ${typeof out}, not an array of events`];
    } catch (err) {
      events = [`threw ${(err as Error)?.name ?? 'an error'}: ${(err as Error)?.message ?? String(err)}`];
    }
    steps.push({ at, did, events });
  };
  const from = (p: Peer, id: number, index: number, count: number, payload: string) =>
    [`chunk ${index} of ${count} of transfer ${id} ("${payload}") from ${p.address}:${p.port}`, () => r.receive(p, chunk(id, index, count, payload))] as const;
  const tick = (at: number) => run(at, 'tick()', () => r.tick());

  run(0, ...from(A, 1, 0, 2, 'ab'));
  run(0, ...from(A, 1, 0, 2, 'ab'));
  tick(150);
  tick(250);
  tick(400);
  run(400, ...from(A, 1, 1, 2, 'cd'));
  run(500, ...from(A, 1, 1, 2, 'cd'));
  run(9_000, ...from(B, 2, 0, 2, 'xy'));
  tick(18_500);
  tick(19_500);
  run(19_500, ...from(B, 2, 1, 2, 'zz'));
  run(29_000, ...from(A, 1, 0, 2, 'ab'));
  tick(31_000);
  run(31_000, ...from(A, 1, 0, 2, 'ab'));
  return { steps };
}
