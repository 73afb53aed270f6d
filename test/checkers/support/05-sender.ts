// The checker's own sender for lab 05's server checks: it sends chunks from a harness UdpClient,
// paced as the lab's client must be (16 a millisecond), in any order the check wants, and waits
// for the server's reply about one transfer while keeping every other datagram in the inbox.

import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure, describePayload, ensureRunning, formatEndpoint, sameEndpoint, type Datagram, type Endpoint, type ServerProcess, type UdpClient } from '../../../tools/harness/index.ts';
import { parseReply, showList, type Reply } from './05-protocol.ts';

export const BURST = 16;

// Where each server's log stood when the current check began, so that a failure shows what the
// server said during this check, not during the ones before (see markLogs, in beforeEach).
const marks = new WeakMap<ServerProcess, number>();

export function markLogs(...servers: (ServerProcess | undefined)[]): void {
  for (const s of servers) if (s) marks.set(s, s.printed);
}

/** The server's last lines since the check began. */
export function logOf(s: ServerProcess, n = 8): string[] {
  const mark = marks.get(s);
  return (mark === undefined ? s.log : s.linesSince(mark)).slice(-n);
}

/**
 * How long to wait for a reply: a server that has already left two in a row unanswered is not
 * waited for in full again, so that a lab that never answers is reported quickly (as exchange does).
 */
export function replyWait(s: ServerProcess, ms: number): number {
  return s.unanswered >= 2 ? Math.min(ms, 300) : ms;
}

/** Keeps ServerProcess.unanswered up to date after a wait. */
export function answered(s: ServerProcess, got: unknown): void {
  s.unanswered = got ? 0 : s.unanswered + 1;
}

/** Sends the datagrams in order, BURST at a time with a millisecond between (a burst of hundreds would be lost on loopback). */
export async function sendPaced(client: UdpClient, to: { address: string; port: number }, datagrams: readonly Buffer[]): Promise<void> {
  for (let i = 0; i < datagrams.length; i += BURST) {
    if (i > 0) await sleep(1);
    await Promise.all(datagrams.slice(i, i + BURST).map((d) => client.send(d, to)));
  }
}

/** Resolves when the next datagram reaches the client, or after `ms`. */
function arrival(client: UdpClient, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.socket.off('message', done);
      client.socket.off('close', done);
      resolve();
    };
    // A timer that fires late, on a busy machine, runs before the datagrams already waiting in
    // the socket are read: they are read first (setImmediate runs after the poll phase).
    const timer = setTimeout(() => setImmediate(done), ms);
    // UdpClient's own listener, registered first, has already put it in the inbox.
    client.socket.on('message', done);
    client.socket.on('close', done);
  });
}

export interface Got {
  datagram: Datagram;
  /** The reply, or why the datagram is not one. */
  reply: Reply | string;
}

/** The transfer a reply names: its id, "-" for an ERROR that names none, undefined for a datagram that is no reply. */
export const idOf = (g: Got): number | '-' | undefined => (typeof g.reply === 'string' ? undefined : g.reply.id ?? '-');

/**
 * The next datagram from the server about transfer `id` ("-": an ERROR that names no transfer;
 * "any": any datagram at all), taken out of the inbox; undefined after `ms`. The others stay.
 */
export async function replyAbout(
  s: ServerProcess,
  client: UdpClient,
  id: number | '-' | 'any',
  ms: number,
  from: Endpoint = s.endpoint,
): Promise<Got | undefined> {
  const deadline = performance.now() + ms;
  const wanted = (d: Datagram) => sameEndpoint(d, from) && (id === 'any' || idOf({ datagram: d, reply: parseReply(d.data) }) === id);
  for (;;) {
    const i = client.inbox.findIndex(wanted);
    if (i >= 0) {
      const datagram = client.inbox.splice(i, 1)[0]!;
      return { datagram, reply: parseReply(datagram.data) };
    }
    const left = deadline - performance.now();
    if (left <= 0 || s.exit !== undefined) return undefined;
    await arrival(client, left);
  }
}

/** Every reply about `id` already in the inbox (taken out). */
export function takeAll(s: ServerProcess, client: UdpClient, id: number, from: Endpoint = s.endpoint): Got[] {
  const out: Got[] = [];
  for (let i = 0; i < client.inbox.length; ) {
    const d = client.inbox[i]!;
    const got = { datagram: d, reply: parseReply(d.data) };
    if (sameEndpoint(d, from) && idOf(got) === id) {
      out.push(got);
      client.inbox.splice(i, 1);
    } else i++;
  }
  return out;
}

/** How a reply reads in a message: `"MISSING 7 3" (11 B)` or the payload and why it is no reply. */
export function describeGot(got: Got | undefined, ms: number): string {
  if (!got) return `nothing within ${ms} ms`;
  const shown = describePayload(got.datagram.data);
  return typeof got.reply === 'string' ? `${shown}, which is not a reply: ${got.reply}` : shown;
}

/**
 * The checker as a correct client: sends the datagrams paced (or only `first` of them), then
 * answers MISSING by resending what it names, for up to `rounds` rounds, and returns the DONE (or the ERROR/BUSY) that ends
 * the transfer. Fails if the server never answers or answers something that is not a reply.
 */
export async function deliver(
  s: ServerProcess,
  client: UdpClient,
  id: number,
  datagrams: readonly Buffer[],
  what: string,
  options: { rounds?: number; to?: Endpoint; first?: readonly Buffer[]; resendAfterMs?: number } = {},
): Promise<{ got: Got; rounds: number }> {
  // resendAfterMs: on a network that loses the checker's own datagrams, send again what is not
  // acknowledged when no reply comes that long (as sendLarge does after timeoutMs).
  const { rounds = 40, to = s.endpoint, first = datagrams, resendAfterMs } = options;
  ensureRunning(s, 'before the check began');
  let pending = first;
  await sendPaced(client, to, pending);
  let last: Got | undefined;
  for (let round = 1; round <= rounds; round++) {
    const wait = resendAfterMs ?? replyWait(s, 2000);
    const next = await replyAbout(s, client, id, wait, to);
    // Later replies may be waiting already (a busy server sends a MISSING whenever a pause in
    // the checker's sending lasts a quiet gap): a final one wins, else the newest MISSING.
    const all = next ? [next, ...takeAll(s, client, id, to)] : [];
    const got = all.find((g) => typeof g.reply === 'string' || g.reply.kind !== 'MISSING') ?? all.at(-1);
    if (!got && resendAfterMs !== undefined && round < rounds) {
      await sendPaced(client, to, pending);
      continue;
    }
    answered(s, got);
    if (!got || typeof got.reply === 'string' || got.reply.kind !== 'MISSING') {
      if (got) return { got, rounds: round };
      ensureRunning(s, `after it received ${what}`);
      throw new CheckFailure({
        summary: last ? `After MISSING, the chunks it named were resent, and nothing more came about transfer ${id}.` : `No reply came back for transfer ${id}.`,
        sent: `${what}, from ${client.endpoint}${last ? `; then the chunks that ${describePayload(last.datagram.data)} named` : ''}`,
        expected: `"DONE ${id} <bytes> <sha256>" once every chunk has arrived (or "MISSING ${id} <list>" after the quiet gap)`,
        got: `nothing within ${wait} ms`,
        log: logOf(s),
        hint: last
          ? 'A transfer is complete when every index from 0 to count - 1 has arrived once: then reply DONE at once, from the chunk that completed it.'
          : "Parse each datagram's 12-byte header (three big-endian u32: id, index, count), store the payload under its index, and when all `count` have come, reply DONE to rinfo.address and rinfo.port.",
      });
    }
    last = got;
    const wanted = new Set(got.reply.indices);
    const again = datagrams.filter((d) => wanted.has(d.readUInt32BE(4)));
    if (again.length === 0) {
      throw new CheckFailure({
        summary: `The server asked for chunks of transfer ${id} that do not exist.`,
        sent: what,
        expected: `MISSING lists indices below the count (${datagrams[0]?.readUInt32BE(8)})`,
        got: describeGot(got, 0),
        log: logOf(s),
      });
    }
    pending = again;
    await sendPaced(client, to, again);
  }
  throw new CheckFailure({
    summary: `Transfer ${id} was still incomplete after ${rounds} rounds of resending what MISSING named.`,
    sent: `${what}, then each time the chunks MISSING named (last: ${last ? showList((last.reply as { indices: number[] }).indices) : '-'})`,
    expected: `"DONE ${id} …" once every index has arrived`,
    got: describeGot(last, 0),
    log: logOf(s),
    hint: 'Each chunk is stored under its index; the transfer is complete when every index from 0 to count - 1 is there. Does MISSING name chunks that did arrive?',
  });
}

export const endpointOf = (c: UdpClient) => formatEndpoint(c.address, c.port);
