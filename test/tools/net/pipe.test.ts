// One direction of the proxy over (fake) time: what leaves, when, in which order, and what the
// counters say. No sockets and no waiting: the clock moves only when the test moves it.

import { describe, expect, it } from 'vitest';
import { Link, type Impairments } from '../../../tools/net/impairments.ts';
import { Pipe } from '../../../tools/net/pipe.ts';
import { FakeClock } from './support.ts';

interface Sent {
  data: Buffer;
  to: string;
  at: number;
}

function pipe(impairments: Impairments, seed = 7) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const p = new Pipe<string>({
    link: new Link(impairments, { seed }),
    clock,
    send: (data, to) => (sent.push({ data, to, at: clock.now() }), true),
  });
  return { clock, sent, pipe: p };
}

/** Datagram i carries its number i as text. */
const numbered = (i: number) => Buffer.from(String(i));
const numbers = (sent: Sent[]) => sent.map((s) => Number(s.data.toString()));

describe('pipe: forwarding', () => {
  it('forwards at once, in order, when nothing is impaired', () => {
    const { pipe: p, sent } = pipe({});
    for (let i = 1; i <= 5; i++) p.push(numbered(i), 'client');
    expect(numbers(sent)).toEqual([1, 2, 3, 4, 5]);
    expect(p.counters).toMatchObject({ in: 5, out: 5, dropped: 0, delayed: 0, inFlight: 0 });
  });

  it('delays each datagram until its time, then sends it', () => {
    const { pipe: p, sent, clock } = pipe({ delayMs: 40 });
    p.push(numbered(1), 'client');
    clock.advance(39);
    expect(sent).toHaveLength(0);
    expect(p.counters.inFlight).toBe(1);
    clock.advance(1);
    expect(sent).toEqual([{ data: numbered(1), to: 'client', at: 40 }]);
    expect(p.counters).toMatchObject({ delayed: 1, out: 1, inFlight: 0 });
  });

  it('counts drops by reason', () => {
    const { pipe: p } = pipe({ loss: 0.5, maxSize: 3 });
    for (let i = 0; i < 1000; i++) p.push(Buffer.alloc(i % 2 === 0 ? 2 : 4), 'client');
    const c = p.counters;
    expect(c.dropsBy['too-big']).toBe(500);
    expect(c.dropsBy.loss).toBeGreaterThan(200);
    expect(c.dropped).toBe(c.dropsBy['too-big'] + c.dropsBy.loss);
    expect(c.in - c.dropped).toBe(c.out);
  });
});

describe('pipe: duplicates and corruption', () => {
  it('sends a duplicate as an exact copy right after the original', () => {
    const { pipe: p, sent } = pipe({ duplicate: 1 });
    const data = Buffer.from([0, 1, 2, 250, 255]);
    p.push(data, 'client');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.data.equals(data)).toBe(true);
    expect(sent[1]!.data.equals(data)).toBe(true);
    expect(p.counters).toMatchObject({ in: 1, duplicated: 1, out: 2 });
  });

  it('flips exactly one byte of a corrupted datagram (XOR 0xFF), leaving the caller’s buffer alone', () => {
    const { pipe: p, sent } = pipe({ corrupt: 1 });
    const data = Buffer.from('hello, world');
    const fate = p.push(data, 'client');
    const out = sent[0]!.data;
    const differ = [...out].map((b, i) => i).filter((i) => out[i] !== data[i]);
    expect(differ).toEqual([fate.corruptAt]);
    expect(out[fate.corruptAt!]).toBe(data[fate.corruptAt!]! ^ 0xff);
    expect(data.toString()).toBe('hello, world');
  });
});

describe('pipe: reordering', () => {
  it('sends a held-back datagram right after the one that follows it', () => {
    const { pipe: p, sent, clock } = pipe({ reorder: 0.3 }, 11);
    const held: number[] = [];
    for (let i = 1; i <= 200; i++) {
      if (p.push(numbered(i), 'client').holdBack) held.push(i);
      clock.advance(1);
    }
    clock.advance(1000);
    const order = numbers(sent);
    expect(held.length).toBeGreaterThan(30);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    // Each held-back datagram comes right after the next one that was not held back (and after
    // the held ones before it), except at the very end, where nothing came to pass it.
    const passer = (n: number) => {
      let m = n + 1;
      while (held.includes(m)) m++;
      return m;
    };
    const overtaken = held.filter((n) => passer(n) <= 200);
    expect(overtaken.length).toBeGreaterThan(30);
    for (const n of overtaken) {
      const between = order.slice(order.indexOf(passer(n)) + 1, order.indexOf(n));
      expect(between.every((m) => held.includes(m) && m < n)).toBe(true);
    }
    expect(p.counters.reordered).toBe(overtaken.length);
  });

  it('lets a held-back datagram go after reorderHoldMs when no other comes', () => {
    const { pipe: p, sent, clock } = pipe({ reorder: 1, reorderHoldMs: 50 });
    p.push(numbered(1), 'client');
    clock.advance(49);
    expect(sent).toHaveLength(0);
    clock.advance(2);
    expect(numbers(sent)).toEqual([1]);
    expect(p.counters).toMatchObject({ reordered: 0, out: 1, inFlight: 0 });
  });

  it('reorders with jitter when asked, and never when not', () => {
    for (const jitterReorders of [false, true]) {
      const { pipe: p, sent, clock } = pipe({ delayMs: 20, jitterMs: 15, jitterReorders });
      for (let i = 1; i <= 200; i++) {
        p.push(numbered(i), 'client');
        clock.advance(1);
      }
      clock.advance(100);
      const order = numbers(sent);
      expect(order).toHaveLength(200);
      const sorted = order.every((n, i) => i === 0 || n > order[i - 1]!);
      expect(sorted).toBe(!jitterReorders);
      expect(p.counters.reordered > 0).toBe(jitterReorders);
    }
  });
});

describe('pipe: rate limit', () => {
  it('sends at the configured rate within 10 %, measured on the clock', () => {
    // 5,000 datagrams of 200 B offered at 400 kB/s to a 100 kB/s link.
    const { pipe: p, sent, clock } = pipe({ rate: 100_000, queue: 50 });
    for (let i = 0; i < 5000; i++) {
      p.push(Buffer.alloc(200), 'client');
      clock.advance(0.5);
    }
    clock.advance(1000);
    const seconds = (sent.at(-1)!.at - sent[0]!.at) / 1000;
    const rate = ((sent.length - 1) * 200) / seconds;
    expect(rate).toBeGreaterThan(90_000);
    expect(rate).toBeLessThan(110_000);
    expect(p.counters.dropsBy['queue-full']).toBe(5000 - sent.length);
  });
});

describe('pipe: bounds', () => {
  it('drops beyond maxInFlight instead of growing without bound', () => {
    const clock = new FakeClock();
    const p = new Pipe<string>({ link: new Link({ delayMs: 100 }), clock, maxInFlight: 10, send: () => true });
    for (let i = 0; i < 15; i++) p.push(Buffer.alloc(1), 'client');
    expect(p.counters).toMatchObject({ inFlight: 10, dropped: 5 });
    expect(p.counters.dropsBy.overflow).toBe(5);
  });

  it('forgets what waits and stops its timer when closed', () => {
    const { pipe: p, sent, clock } = pipe({ delayMs: 100 });
    p.push(numbered(1), 'client');
    expect(clock.pending).toBe(1);
    p.close();
    expect(clock.pending).toBe(0);
    clock.advance(200);
    expect(sent).toHaveLength(0);
  });
});
