// The fate of each datagram, decided without sockets or real time: a Link is given sizes and
// arrival times and says what happens. Every random choice comes from the seed, so these
// statistics are the same on every run.

import { describe, expect, it } from 'vitest';
import { Link, burstLoss, type Fate, type Impairments } from '../../../tools/net/impairments.ts';
import { PRESETS } from '../../../tools/net/presets.ts';
import { Random } from '../../../tools/udp/random.ts';

/** `n` datagrams of `size` bytes, one every `gapMs`, through a fresh link. */
function run(impairments: Impairments, n: number, options: { seed?: number; size?: number; gapMs?: number } = {}): Fate[] {
  const link = new Link(impairments, { seed: options.seed ?? 7 });
  return Array.from({ length: n }, (_, i) => link.decide(options.size ?? 64, i * (options.gapMs ?? 1)));
}

const share = (fates: Fate[], test: (f: Fate) => boolean) => fates.filter(test).length / fates.length;

describe('random numbers', () => {
  it('repeat for the same seed and differ for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.next())(new Random(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(Random.derive(1, 0, 5).next()).toBe(Random.derive(1, 0, 5).next());
    expect(Random.derive(1, 0, 5).next()).not.toBe(Random.derive(1, 1, 5).next());
  });

  it('are spread evenly over [0, 1)', () => {
    const r = new Random(3);
    const buckets = new Array<number>(10).fill(0);
    const outside: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (x >= 0 && x < 1) buckets[Math.floor(x * 10)]!++;
      else outside.push(x);
    }
    expect(outside).toEqual([]);
    for (const count of buckets) expect(count).toBeGreaterThan(9_500);
  });
});

describe('impairment: loss', () => {
  it('loses 20 % ± 2 % of 10,000 datagrams at 20 % loss, for every seed tried', () => {
    for (const seed of [1, 2, 3, 7, 1234]) {
      const lost = share(run({ loss: 0.2 }, 10_000, { seed }), (f) => f.drop === 'loss');
      expect(lost).toBeGreaterThanOrEqual(0.18);
      expect(lost).toBeLessThanOrEqual(0.22);
    }
  });

  it('loses in bursts of the configured mean length with Gilbert–Elliott', () => {
    const fates = run({ burst: burstLoss(0.05, 4) }, 200_000);
    expect(share(fates, (f) => f.drop === 'burst')).toBeCloseTo(0.05, 2);
    const bursts: number[] = [];
    let length = 0;
    for (const f of fates) {
      if (f.drop === 'burst') length++;
      else if (length > 0) bursts.push(length), (length = 0);
    }
    const mean = bursts.reduce((a, b) => a + b, 0) / bursts.length;
    expect(mean).toBeGreaterThan(3.6);
    expect(mean).toBeLessThan(4.4);
    // Bernoulli loss at the same rate has bursts of about 1.05.
    expect(bursts.some((b) => b >= 10)).toBe(true);
  });
});

describe('impairment: determinism', () => {
  const sizes = Array.from({ length: 2000 }, (_, i) => (i * 37) % 1500);
  const decideAll = (seed: number) => {
    const link = new Link(PRESETS.evil, { seed });
    return sizes.map((size, i) => link.decide(size, i * 3));
  };

  it('gives the same fates for the same seed and the same datagrams', () => {
    expect(decideAll(7)).toEqual(decideAll(7));
  });

  it('gives other fates for another seed', () => {
    const a = decideAll(7);
    const b = decideAll(8);
    expect(a.filter((f, i) => f.drop !== b[i]!.drop).length).toBeGreaterThan(100);
  });

  it('does not change which datagrams are lost when another impairment is turned on', () => {
    const lost = (fates: Fate[]) => fates.filter((f) => f.drop === 'loss').map((f) => f.seq);
    const plain = lost(run({ loss: 0.2 }, 1000));
    expect(lost(run({ loss: 0.2, duplicate: 0.3, corrupt: 0.3, delayMs: 5, jitterMs: 5, reorder: 0.2 }, 1000))).toEqual(plain);
  });
});

describe('impairment: delay and jitter', () => {
  it('keeps the order by default: no datagram leaves before the one ahead of it', () => {
    const fates = run({ delayMs: 40, jitterMs: 30 }, 1000);
    for (let i = 1; i < fates.length; i++) expect(fates[i]!.sendAt).toBeGreaterThanOrEqual(fates[i - 1]!.sendAt);
    for (const f of fates) expect(f.sendAt - f.at).toBeGreaterThanOrEqual(10);
  });

  it('lets jitter reorder when asked, each delay within delay ± jitter', () => {
    const fates = run({ delayMs: 40, jitterMs: 30, jitterReorders: true }, 1000);
    const overtaken = fates.filter((f, i) => i > 0 && f.sendAt < fates[i - 1]!.sendAt).length;
    expect(overtaken).toBeGreaterThan(100);
    for (const f of fates) {
      expect(f.sendAt - f.at).toBeGreaterThanOrEqual(10);
      expect(f.sendAt - f.at).toBeLessThanOrEqual(70);
    }
  });
});

describe('impairment: duplicate, corrupt, reorder', () => {
  it('marks about the configured share of datagrams', () => {
    const fates = run({ duplicate: 0.1, corrupt: 0.05, reorder: 0.2 }, 20_000);
    expect(share(fates, (f) => f.duplicate)).toBeCloseTo(0.1, 1);
    expect(share(fates, (f) => f.corruptAt !== undefined)).toBeCloseTo(0.05, 1);
    expect(share(fates, (f) => f.holdBack)).toBeCloseTo(0.2, 1);
  });

  it('corrupts a byte inside the datagram, and never an empty one', () => {
    const link = new Link({ corrupt: 1 });
    for (let size = 1; size < 300; size++) {
      const at = link.decide(size, 0).corruptAt!;
      expect(at >= 0 && at < size).toBe(true);
    }
    expect(link.decide(0, 0).corruptAt).toBeUndefined();
  });
});

describe('impairment: rate limit', () => {
  it('holds 100 kB/s within 10 % when offered twice as much, dropping the tail of a full queue', () => {
    // 10,000 datagrams of 100 B, one every 0.5 ms: 200 kB/s offered.
    const fates = run({ rate: 100_000, queue: 20 }, 10_000, { size: 100, gapMs: 0.5 });
    const passed = fates.filter((f) => f.drop === undefined);
    const seconds = (passed.at(-1)!.sendAt - passed[0]!.at) / 1000;
    const rate = (passed.length * 100) / seconds;
    expect(rate).toBeGreaterThan(90_000);
    expect(rate).toBeLessThan(110_000);
    expect(share(fates, (f) => f.drop === 'queue-full')).toBeCloseTo(0.5, 1);
    // Never more than the queue (plus the one on the wire) waiting: the wait is bounded.
    for (const f of passed) expect(f.queuedMs).toBeLessThanOrEqual((21 * 100 * 1000) / 100_000 + 1e-9);
  });

  it('does not delay datagrams that come slower than the rate', () => {
    const fates = run({ rate: 100_000 }, 100, { size: 100, gapMs: 2 });
    for (const f of fates) expect(f.queuedMs).toBeCloseTo(1, 6); // 100 B at 100 kB/s take 1 ms on the wire
  });
});

describe('impairment: maximum size and outages', () => {
  it('drops only the datagrams larger than the maximum size', () => {
    const link = new Link({ maxSize: 1200 });
    expect(link.decide(1200, 0).drop).toBeUndefined();
    expect(link.decide(1201, 0).drop).toBe('too-big');
  });

  it('goes down for M ms every N ms, and only then', () => {
    const fates = run({ outageEveryMs: 100, outageMs: 30 }, 1000);
    const down = fates.filter((f) => f.drop === 'outage').map((f) => f.at);
    expect(down).toHaveLength(9 * 30);
    for (const t of down) expect(t >= 100 && t % 100 < 30).toBe(true);
  });
});

describe('impairment: settings', () => {
  it('refuses values out of range, naming them', () => {
    expect(() => new Link({ loss: 1.5 })).toThrow(/loss must be a probability from 0 to 1, not 1.5/);
    expect(() => new Link({ rate: 0 })).toThrow(/rate must be above 0/);
    expect(() => new Link({ outageEveryMs: 100, outageMs: 100 })).toThrow(/must be shorter/);
  });

  it('changes only the given settings, for the datagrams that come next', () => {
    const link = new Link({ loss: 1, delayMs: 5 });
    expect(link.decide(10, 0).drop).toBe('loss');
    link.configure({ loss: 0 });
    expect(link.settings.delayMs).toBe(5);
    const next = link.decide(10, 0);
    expect(next.drop).toBeUndefined();
    expect(next.sendAt).toBe(5);
  });
});
