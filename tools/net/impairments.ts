// What a misbehaving network does to one datagram. A Link holds the settings of one direction and
// decides each datagram's fate from the settings, its own state (datagram number, burst state,
// rate-limit queue), the datagram's size and the time it arrived. Its random choices come from a
// generator derived from (seed, stream, datagram number), drawn in a fixed order, so the same seed
// and the same datagrams give the same fates, and turning one impairment on does not change which
// datagrams another one hits.

import { Random } from '../udp/random.ts';

/**
 * Gilbert–Elliott burst loss: a two-state chain. In the good state datagrams are lost with
 * probability `lossInGood` (default 0), in the bad state with `lossInBad` (default 1). Before each
 * datagram the chain moves good → bad with probability `enter` and bad → good with `leave`.
 */
export interface BurstLoss {
  enter: number;
  leave: number;
  lossInBad?: number;
  lossInGood?: number;
}

export interface LinkSettings {
  /** Probability (0–1) that a datagram is lost, independently of the others. */
  loss: number;
  /** Loss in bursts; null for none. */
  burst: BurstLoss | null;
  /** Every datagram waits this long (ms). */
  delayMs: number;
  /** Each datagram's delay varies uniformly within ± this (ms). */
  jitterMs: number;
  /** false: jitter never reorders (a datagram never leaves before the one ahead of it); true: it may. */
  jitterReorders: boolean;
  /** Probability that a datagram is held back until the next one has passed it. */
  reorder: number;
  /** A held-back datagram goes anyway after this long (ms) when no other comes to pass it. */
  reorderHoldMs: number;
  /** Probability that a datagram is sent twice (an exact copy, right after it). */
  duplicate: number;
  /** Probability that one byte of a datagram is flipped (XOR 0xFF). */
  corrupt: number;
  /** Payload bytes per second; Infinity for no limit. */
  rate: number;
  /** Datagrams that may wait for the rate limit; one more arriving is dropped (tail drop). */
  queue: number;
  /** Datagrams with a larger payload (bytes) are dropped; Infinity for no limit. */
  maxSize: number;
  /** Every `outageEveryMs` the link goes down for `outageMs`; 0 for never. */
  outageEveryMs: number;
  outageMs: number;
}

/** The settings a caller gives: any subset; the rest keeps its value (or the default). */
export type Impairments = Partial<LinkSettings>;

export const NO_IMPAIRMENTS: Readonly<LinkSettings> = Object.freeze({
  loss: 0,
  burst: null,
  delayMs: 0,
  jitterMs: 0,
  jitterReorders: false,
  reorder: 0,
  reorderHoldMs: 100,
  duplicate: 0,
  corrupt: 0,
  rate: Infinity,
  queue: 100,
  maxSize: Infinity,
  outageEveryMs: 0,
  outageMs: 0,
});

/** Why a datagram was dropped. 'overflow' is the proxy's own cap on waiting datagrams, not an impairment. */
export type DropReason = 'too-big' | 'outage' | 'queue-full' | 'loss' | 'burst' | 'overflow';

export interface Fate {
  /** The datagram's number in its direction, from 1. */
  seq: number;
  size: number;
  /** When it arrived (the caller's clock, ms). */
  at: number;
  /** Why it was dropped; undefined when it goes on. */
  drop?: DropReason;
  /** The offset of the byte that is flipped, when corrupted. */
  corruptAt?: number;
  duplicate: boolean;
  /** Held back until the next datagram has passed it. */
  holdBack: boolean;
  /** Time spent in the rate-limit queue (ms). */
  queuedMs: number;
  /** When it leaves: arrival + queue + delay and jitter (the caller's clock, ms). */
  sendAt: number;
}

/** Burst loss from its two visible figures: the average loss (0–1) and the mean burst length (datagrams). */
export function burstLoss(averageLoss: number, meanLength: number): BurstLoss | null {
  if (!(averageLoss >= 0 && averageLoss < 1)) throw new RangeError(`burst loss must be at least 0 and below 1, not ${averageLoss}`);
  if (!(meanLength >= 1)) throw new RangeError(`mean burst length must be at least 1 datagram, not ${meanLength}`);
  if (averageLoss === 0) return null;
  const leave = 1 / meanLength;
  return { enter: Math.min(1, (leave * averageLoss) / (1 - averageLoss)), leave };
}

/** The settings after `change`, checked: a RangeError names the first value out of range. */
export function applyImpairments(base: Readonly<LinkSettings>, change: Impairments = {}): LinkSettings {
  const s: LinkSettings = { ...base, ...change };
  const probability = (name: string, p: number) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability from 0 to 1, not ${p}`);
  };
  const atLeast = (name: string, v: number, min: number) => {
    if (!(v >= min)) throw new RangeError(`${name} must be at least ${min}, not ${v}`);
  };
  probability('loss', s.loss);
  probability('reorder', s.reorder);
  probability('duplicate', s.duplicate);
  probability('corrupt', s.corrupt);
  if (s.burst) {
    probability('burst.enter', s.burst.enter);
    probability('burst.leave', s.burst.leave);
    probability('burst.lossInBad', s.burst.lossInBad ?? 1);
    probability('burst.lossInGood', s.burst.lossInGood ?? 0);
  }
  atLeast('delayMs', s.delayMs, 0);
  atLeast('jitterMs', s.jitterMs, 0);
  atLeast('reorderHoldMs', s.reorderHoldMs, 0);
  if (!(s.rate > 0)) throw new RangeError(`rate must be above 0 bytes per second (Infinity for no limit), not ${s.rate}`);
  if (!Number.isInteger(s.queue) || s.queue < 0) throw new RangeError(`queue must be a whole number of datagrams, not ${s.queue}`);
  atLeast('maxSize', s.maxSize, 0);
  atLeast('outageEveryMs', s.outageEveryMs, 0);
  atLeast('outageMs', s.outageMs, 0);
  if (s.outageEveryMs > 0 && s.outageMs >= s.outageEveryMs) {
    throw new RangeError(`an outage (${s.outageMs} ms) must be shorter than the time between outages (${s.outageEveryMs} ms)`);
  }
  return s;
}

export function isClean(s: Readonly<LinkSettings>): boolean {
  return (
    s.loss === 0 && !s.burst && s.delayMs === 0 && s.jitterMs === 0 && s.reorder === 0 && s.duplicate === 0 &&
    s.corrupt === 0 && s.rate === Infinity && s.maxSize === Infinity && (s.outageEveryMs === 0 || s.outageMs === 0)
  );
}

export interface LinkOptions {
  seed?: number;
  /** Which stream of the seed this link draws from (e.g. 0 towards the target, 1 back). */
  stream?: number;
  /** The time the link started (outages count from it). */
  epoch?: number;
}

export class Link {
  readonly seed: number;
  readonly stream: number;
  readonly epoch: number;
  private current: LinkSettings;
  private clean: boolean;
  private seq = 0;
  private bad = false;
  private lastSendAt = -Infinity;
  private busyUntil = -Infinity;
  /** When each datagram admitted by the rate limit has been fully sent, oldest first. */
  private finishes: number[] = [];
  private finishesHead = 0;

  constructor(impairments: Impairments = {}, options: LinkOptions = {}) {
    this.seed = options.seed ?? 1;
    this.stream = options.stream ?? 0;
    this.epoch = options.epoch ?? 0;
    this.current = applyImpairments(NO_IMPAIRMENTS, impairments);
    this.clean = isClean(this.current);
  }

  get settings(): Readonly<LinkSettings> {
    return this.current;
  }

  /** Changes the given settings for the datagrams that arrive from now on. */
  configure(change: Impairments): void {
    this.current = applyImpairments(this.current, change);
    this.clean = isClean(this.current);
  }

  /** Datagrams decided so far. */
  get count(): number {
    return this.seq;
  }

  decide(size: number, now: number): Fate {
    const fate: Fate = { seq: ++this.seq, size, at: now, duplicate: false, holdBack: false, queuedMs: 0, sendAt: now };
    if (this.clean) return fate;
    const s = this.current;
    // Every draw is made for every datagram, in this order (see the header).
    const r = Random.derive(this.seed, this.stream, fate.seq);
    const uChain = r.next();
    const uInState = r.next();
    const uLoss = r.next();
    const uCorrupt = r.next();
    const uOffset = r.next();
    const uDuplicate = r.next();
    const uJitter = r.next();
    const uReorder = r.next();

    let lostInBurst = false;
    if (s.burst) {
      this.bad = this.bad ? uChain >= s.burst.leave : uChain < s.burst.enter;
      lostInBurst = uInState < (this.bad ? (s.burst.lossInBad ?? 1) : (s.burst.lossInGood ?? 0));
    }

    if (size > s.maxSize) return { ...fate, drop: 'too-big' };
    if (this.inOutage(now)) return { ...fate, drop: 'outage' };

    let leaves = now;
    if (s.rate !== Infinity) {
      while (this.finishesHead < this.finishes.length && this.finishes[this.finishesHead]! <= now) this.finishesHead++;
      if (this.finishesHead > 1024) {
        this.finishes = this.finishes.slice(this.finishesHead);
        this.finishesHead = 0;
      }
      // One datagram is on the wire; `queue` more may wait behind it.
      if (this.finishes.length - this.finishesHead > s.queue) return { ...fate, drop: 'queue-full' };
      leaves = Math.max(now, this.busyUntil) + (size * 1000) / s.rate;
      this.busyUntil = leaves;
      this.finishes.push(leaves);
      fate.queuedMs = leaves - now;
    }

    if (uLoss < s.loss) return { ...fate, drop: 'loss' };
    if (lostInBurst) return { ...fate, drop: 'burst' };

    if (uCorrupt < s.corrupt && size > 0) fate.corruptAt = Math.floor(uOffset * size);
    fate.duplicate = uDuplicate < s.duplicate;
    const delay = Math.max(0, s.delayMs + s.jitterMs * (2 * uJitter - 1));
    fate.sendAt = s.jitterReorders ? leaves + delay : Math.max(leaves + delay, this.lastSendAt);
    this.lastSendAt = Math.max(this.lastSendAt, fate.sendAt);
    fate.holdBack = uReorder < s.reorder;
    return fate;
  }

  private inOutage(now: number): boolean {
    const { outageEveryMs: every, outageMs: length } = this.current;
    if (every === 0 || length === 0) return false;
    const t = now - this.epoch;
    return t >= every && t % every < length;
  }
}
