// One direction of the proxy over time: asks its Link for each datagram's fate, then drops,
// corrupts, duplicates, delays or holds it back, and hands it on when its time comes. Waiting
// datagrams sit in a heap ordered by (time, arrival), under one timer. The clock is injected, so
// that tests can run a pipe without waiting.

import type { DropReason, Fate, Link } from './impairments.ts';

export interface Clock {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface Counters {
  /** Datagrams that arrived. */
  in: number;
  dropped: number;
  duplicated: number;
  /** Datagrams that left after one that arrived later. */
  reordered: number;
  corrupted: number;
  /** Datagrams not forwarded at once (delay, jitter, rate-limit queue or held back). */
  delayed: number;
  /** Datagrams handed on, duplicates included. */
  out: number;
  /** Datagrams waiting now. */
  inFlight: number;
  /** Why the dropped ones were dropped; 'gone': their client had expired by the time they were due. */
  dropsBy: Record<DropReason | 'gone', number>;
}

export function emptyCounters(): Counters {
  return {
    in: 0, dropped: 0, duplicated: 0, reordered: 0, corrupted: 0, delayed: 0, out: 0, inFlight: 0,
    dropsBy: { 'too-big': 0, outage: 0, 'queue-full': 0, loss: 0, burst: 0, overflow: 0, gone: 0 },
  };
}

interface Waiting<D> {
  at: number;
  order: number;
  seq: number;
  data: Buffer;
  to: D;
  /** When due, it waits for a later datagram to pass it (reordering)... */
  holdBack: boolean;
  /** ...and while it waits, this is true and `at` is when it goes anyway. */
  held: boolean;
}

export interface PipeOptions<D> {
  link: Link;
  /** Hands a datagram on (e.g. socket.send). Returns false if it cannot be sent (its client is gone). */
  send: (data: Buffer, to: D) => boolean;
  clock?: Clock;
  /** Datagrams that may wait at once; more are dropped ('overflow'). */
  maxInFlight?: number;
}

export class Pipe<D> {
  readonly link: Link;
  readonly counters = emptyCounters();
  private readonly send: (data: Buffer, to: D) => boolean;
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  private heap: Waiting<D>[] = [];
  private held = new Set<Waiting<D>>();
  private order = 0;
  private highestSent = 0;
  private timer: unknown;
  private timerAt = Infinity;
  private closed = false;

  constructor(options: PipeOptions<D>) {
    this.link = options.link;
    this.send = options.send;
    this.clock = options.clock ?? realClock;
    this.maxInFlight = options.maxInFlight ?? 10_000;
  }

  /** Takes one datagram in and returns its fate (`drop` is set when it goes no further). */
  push(data: Buffer, to: D): Fate {
    const c = this.counters;
    const now = this.clock.now();
    let fate = this.link.decide(data.length, now);
    c.in++;
    const waits = fate.sendAt > now || fate.holdBack || this.heap.length > 0;
    if (fate.drop === undefined && waits && c.inFlight >= this.maxInFlight) fate = { ...fate, drop: 'overflow' };
    if (fate.drop !== undefined || this.closed) {
      c.dropped++;
      c.dropsBy[fate.drop ?? 'gone']++;
      return fate;
    }
    let payload = data;
    if (fate.corruptAt !== undefined) {
      payload = Buffer.from(data);
      payload[fate.corruptAt]! ^= 0xff;
      c.corrupted++;
    }
    if (waits) c.delayed++;
    this.enqueue(fate.sendAt, fate.seq, payload, to, fate.holdBack, now);
    if (fate.duplicate) {
      c.duplicated++;
      this.enqueue(fate.sendAt, fate.seq, payload, to, false, now);
    }
    return fate;
  }

  /** Forgets everything waiting and stops the timer. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.heap = [];
    this.held.clear();
    this.counters.inFlight = 0;
  }

  private enqueue(at: number, seq: number, data: Buffer, to: D, holdBack: boolean, now: number): void {
    if (!holdBack && at <= now && this.heap.length === 0) return this.forward(seq, data, to);
    this.counters.inFlight++;
    heapPush(this.heap, { at, order: ++this.order, seq, data, to, holdBack, held: false });
    this.arm();
  }

  private forward(seq: number, data: Buffer, to: D): void {
    const c = this.counters;
    if (!this.send(data, to)) {
      c.dropped++;
      c.dropsBy.gone++;
    } else {
      c.out++;
      if (seq < this.highestSent) c.reordered++;
    }
    if (seq <= this.highestSent) return;
    this.highestSent = seq;
    // The held-back datagrams this one has just passed go right after it.
    for (const h of this.held) {
      if (h.seq >= seq) continue;
      this.held.delete(h);
      c.inFlight--;
      this.forward(h.seq, h.data, h.to);
    }
  }

  private arm(): void {
    const next = this.heap[0];
    if (next === undefined || this.closed || next.at >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timerAt = next.at;
    this.timer = this.clock.setTimer(() => this.wake(), Math.max(0, next.at - this.clock.now()));
  }

  private wake(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    // Timers have millisecond resolution: whatever is due within the next millisecond goes now.
    const now = this.clock.now() + 1;
    while (!this.closed && this.heap.length > 0 && this.heap[0]!.at <= now) {
      const w = heapPop(this.heap)!;
      if (w.held) {
        // Nothing passed it within reorderHoldMs: it goes anyway (unless it went already).
        if (!this.held.delete(w)) continue;
      } else if (w.holdBack) {
        w.held = true;
        w.at += this.link.settings.reorderHoldMs;
        w.order = ++this.order;
        this.held.add(w);
        heapPush(this.heap, w);
        continue;
      }
      this.counters.inFlight--;
      this.forward(w.seq, w.data, w.to);
    }
    this.arm();
  }
}

function before(a: Waiting<unknown>, b: Waiting<unknown>): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

function heapPush<T extends Waiting<unknown>>(heap: T[], item: T): void {
  heap.push(item);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapPop<T extends Waiting<unknown>>(heap: T[]): T | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  heap[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    let m = i;
    if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
    if (l + 1 < heap.length && before(heap[l + 1]!, heap[m]!)) m = l + 1;
    if (m === i) return top;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}
