// What the network tools print: a datagram sent or received, one trace line per datagram through
// the proxy, its settings in a phrase, and its counters as a table. Plain text; colour is the
// caller's business.

import { formatEndpoint, type Endpoint } from '../udp/address.ts';
import type { DropReason, LinkSettings } from './impairments.ts';
import { showPayload } from './payload.ts';
import type { Counters } from './pipe.ts';
import type { DatagramEvent, ProxyStats } from './proxy.ts';

export const UP = '→';
export const DOWN = '←';

export function ms(value: number): string {
  if (value < 10) return `${value.toFixed(1)} ms`;
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

export function percent(p: number): string {
  return `${+(p * 100).toFixed(2)}%`;
}

/** `→ 127.0.0.1:41234  "hello" (5 B)`, numbered when more than one is sent. */
export function sentLine(to: Endpoint, data: Buffer, options: { n?: number; hex?: boolean } = {}): string {
  const n = options.n === undefined ? '' : `#${options.n} `;
  return `${UP} ${n}${formatEndpoint(to.address, to.port)}  ${showPayload(data, options.hex)}`;
}

/** `← 127.0.0.1:41234  "Echo: hello" (11 B)  0.4 ms` */
export function replyLine(reply: { data: Buffer; from: Endpoint; rttMs: number }, hex = false): string {
  return `${DOWN} ${formatEndpoint(reply.from.address, reply.from.port)}  ${showPayload(reply.data, hex)}  ${ms(reply.rttMs)}`;
}

const DROP_WORDS: Record<DropReason, string> = {
  loss: 'random loss',
  burst: 'burst loss',
  outage: 'outage',
  'too-big': 'larger than the maximum size',
  'queue-full': 'rate-limit queue full',
  overflow: 'too many datagrams waiting in the proxy',
};

/** `→ #12 37 B from 127.0.0.1:50123 delayed 40 ms`, `← #13 11 B to 127.0.0.1:50123 DROPPED (random loss)` */
export function traceLine(event: DatagramEvent): string {
  const { fate, client } = event;
  const head = `${event.direction === 'up' ? UP : DOWN} #${fate.seq} ${fate.size} B ${event.direction === 'up' ? 'from' : 'to'} ${formatEndpoint(client.address, client.port)}`;
  if (fate.drop) return `${head} DROPPED (${DROP_WORDS[fate.drop]})`;
  const what: string[] = [];
  if (fate.corruptAt !== undefined) what.push(`corrupted (byte ${fate.corruptAt} flipped)`);
  if (fate.duplicate) what.push('duplicated');
  if (fate.holdBack) what.push('held back to be overtaken');
  const waited = fate.sendAt - fate.at;
  if (waited >= 0.5) what.push(`delayed ${ms(waited)}`);
  return `${head} ${what.length > 0 ? what.join(', ') : 'forwarded'}`;
}

/** `loss 30%, delay 40 ms ± 10 ms`, or `no impairment`. */
export function describeImpairments(s: Readonly<LinkSettings>): string {
  const parts: string[] = [];
  if (s.loss > 0) parts.push(`loss ${percent(s.loss)}`);
  if (s.burst) {
    const { enter, leave, lossInBad = 1, lossInGood = 0 } = s.burst;
    const bad = enter + leave > 0 ? enter / (enter + leave) : 0;
    parts.push(`burst loss ${percent(bad * lossInBad + (1 - bad) * lossInGood)} (bursts of ${+(1 / leave).toFixed(1)} on average)`);
  }
  if (s.delayMs > 0 || s.jitterMs > 0) {
    const jitter = s.jitterMs > 0 ? ` ± ${ms(s.jitterMs)}${s.jitterReorders ? ' (may reorder)' : ' (keeps order)'}` : '';
    parts.push(`delay ${ms(s.delayMs)}${jitter}`);
  }
  if (s.reorder > 0) parts.push(`reorder ${percent(s.reorder)}`);
  if (s.duplicate > 0) parts.push(`duplicate ${percent(s.duplicate)}`);
  if (s.corrupt > 0) parts.push(`corrupt ${percent(s.corrupt)}`);
  if (s.rate !== Infinity) parts.push(`rate ${bitRate(s.rate)} (queue ${s.queue})`);
  if (s.maxSize !== Infinity) parts.push(`max size ${s.maxSize.toLocaleString('en-US')} B`);
  if (s.outageEveryMs > 0 && s.outageMs > 0) parts.push(`outage ${ms(s.outageMs)} every ${ms(s.outageEveryMs)}`);
  return parts.length > 0 ? parts.join(', ') : 'no impairment';
}

/** Bytes per second as a bit rate: `2 Mbit/s`, `512 kbit/s`. */
export function bitRate(bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8;
  if (bits >= 1e6) return `${+(bits / 1e6).toFixed(2)} Mbit/s`;
  if (bits >= 1e3) return `${+(bits / 1e3).toFixed(2)} kbit/s`;
  return `${+bits.toFixed(2)} bit/s`;
}

const COLUMNS: (keyof Counters)[] = ['in', 'dropped', 'duplicated', 'reordered', 'corrupted', 'delayed', 'out'];

/** The counters of both directions as a small table, then why datagrams were dropped. */
export function statsLines(stats: ProxyStats, target: Endpoint): string[] {
  const label = (s: string) => s.padEnd(13);
  const widths = COLUMNS.map((k) => Math.max(k.length, String(stats.up[k]).length, String(stats.down[k]).length) + 2);
  const row = (name: string, cells: (k: keyof Counters) => string) => label(name) + COLUMNS.map((k, i) => cells(k).padStart(widths[i]!)).join('');
  const lines = [
    row('', (k) => k),
    row(`${UP} to target`, (k) => String(stats.up[k])),
    row(`${DOWN} to clients`, (k) => String(stats.down[k])),
  ];
  const drops = (c: Counters) =>
    Object.entries(c.dropsBy)
      .filter(([, n]) => n > 0)
      .map(([why, n]) => `${why === 'gone' ? 'client gone' : DROP_WORDS[why as DropReason]} ${n}`)
      .join(', ');
  for (const [arrow, c] of [[UP, stats.up], [DOWN, stats.down]] as const) {
    if (c.dropped > 0) lines.push(`Dropped ${arrow}: ${drops(c)}.`);
    if (c.inFlight > 0) lines.push(`Still waiting ${arrow} when stopped: ${c.inFlight}.`);
  }
  if (stats.refused > 0) {
    lines.push(`${stats.refused} datagram${stats.refused === 1 ? ' was' : 's were'} refused: nothing listened on ${formatEndpoint(target.address, target.port)}.`);
  }
  return lines;
}
