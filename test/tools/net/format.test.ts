// What the network tools print: payloads, trace lines, settings and the counters table.

import { describe, expect, it } from 'vitest';
import { describeImpairments, replyLine, sentLine, statsLines, traceLine } from '../../../tools/net/format.ts';
import { NO_IMPAIRMENTS, applyImpairments, type Fate } from '../../../tools/net/impairments.ts';
import { parsePayload, showPayload } from '../../../tools/net/payload.ts';
import { emptyCounters } from '../../../tools/net/pipe.ts';
import { PRESETS } from '../../../tools/net/presets.ts';

const client = { address: '127.0.0.1', port: 50123 };
const fate = (more: Partial<Fate>): Fate => ({ seq: 12, size: 37, at: 100, duplicate: false, holdBack: false, queuedMs: 0, sendAt: 100, ...more });

describe('format: payloads', () => {
  it('shows printable text quoted, in full, and anything else as hex', () => {
    expect(showPayload(Buffer.from('Echo: hello'))).toBe('"Echo: hello" (11 B)');
    expect(showPayload(Buffer.from('x'.repeat(100)))).toBe(`"${'x'.repeat(100)}" (100 B)`);
    expect(showPayload(Buffer.from('tab\tand\nnewline'))).toBe('"tab\\tand\\nnewline" (15 B)');
    expect(showPayload(Buffer.from([0x68, 0xff]))).toBe('hex 68 ff (2 B, not valid UTF-8)');
    expect(showPayload(Buffer.from('hi'), true)).toBe('hex 68 69 (2 B)');
    expect(showPayload(Buffer.alloc(0))).toBe('(an empty datagram, 0 B)');
  });

  it('reads hex in the usual spellings and refuses what is not hex', () => {
    for (const text of ['68 69', '6869', '0x68 0x69', '68:69']) expect(parsePayload(text, true)).toEqual(Buffer.from('hi'));
    expect(() => parsePayload('686', true)).toThrow(/an odd number of hex digits/);
    expect(parsePayload('héllo')).toEqual(Buffer.from('héllo', 'utf8'));
  });

  it('prints a datagram sent and a reply with its sender and round-trip time', () => {
    expect(sentLine(client, Buffer.from('hi'), { n: 3 })).toBe('→ #3 127.0.0.1:50123  "hi" (2 B)');
    expect(replyLine({ data: Buffer.from('ok'), from: { address: '::1', port: 9 }, rttMs: 0.42 })).toBe('← [::1]:9  "ok" (2 B)  0.4 ms');
    expect(replyLine({ data: Buffer.from('ok'), from: client, rttMs: 1234.5 })).toBe('← 127.0.0.1:50123  "ok" (2 B)  1,235 ms');
  });
});

describe('format: the trace', () => {
  it('says what happened to each datagram, in one line', () => {
    expect(traceLine({ direction: 'up', client, fate: fate({ sendAt: 140 }) })).toBe('→ #12 37 B from 127.0.0.1:50123 delayed 40 ms');
    expect(traceLine({ direction: 'down', client, fate: fate({ seq: 13, drop: 'loss' }) })).toBe('← #13 37 B to 127.0.0.1:50123 DROPPED (random loss)');
    expect(traceLine({ direction: 'up', client, fate: fate({ corruptAt: 3, duplicate: true, holdBack: true }) })).toBe(
      '→ #12 37 B from 127.0.0.1:50123 corrupted (byte 3 flipped), duplicated, held back to be overtaken',
    );
    expect(traceLine({ direction: 'up', client, fate: fate({}) })).toBe('→ #12 37 B from 127.0.0.1:50123 forwarded');
  });
});

describe('format: settings and counters', () => {
  it('describes settings in a phrase', () => {
    expect(describeImpairments(NO_IMPAIRMENTS)).toBe('no impairment');
    expect(describeImpairments(applyImpairments(NO_IMPAIRMENTS, PRESETS.evil))).toBe(
      'loss 10%, burst loss 5% (bursts of 4 on average), delay 40 ms ± 30 ms (may reorder), reorder 5%, duplicate 3%, corrupt 1%, rate 2 Mbit/s (queue 8), outage 300 ms every 2,000 ms',
    );
    expect(describeImpairments(applyImpairments(NO_IMPAIRMENTS, { maxSize: 1200, rate: 8000 }))).toBe('rate 64 kbit/s (queue 100), max size 1,200 B');
  });

  it('lays the counters out as a table that stays aligned with large numbers', () => {
    const up = { ...emptyCounters(), in: 1_234_567, dropped: 3, out: 1_234_564 };
    const down = { ...emptyCounters(), in: 5, out: 5 };
    up.dropsBy.loss = 2;
    up.dropsBy.outage = 1;
    const lines = statsLines({ up, down, clients: 1, refused: 2 }, { address: '127.0.0.1', port: 8080 });
    expect(lines).toEqual([
      '                    in  dropped  duplicated  reordered  corrupted  delayed      out',
      '→ to target    1234567        3           0          0          0        0  1234564',
      '← to clients         5        0           0          0          0        0        5',
      'Dropped →: outage 1, random loss 2.',
      '2 datagrams were refused: nothing listened on 127.0.0.1:8080.',
    ]);
  });
});
