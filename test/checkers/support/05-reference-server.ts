// The checker's own server for lab 05's client checks: a reassembler that follows the wire
// format (05-protocol.ts), runs in the checker's process on 127.0.0.1, and records everything the
// learner's sendLarge() sent it. A check can make it lose chunks on purpose, lose or change its
// replies, answer MISSING as soon as a round of sending is over, or never answer at all.
//
// It is lenient where the lab's server is strict — it reassembles chunks of any size and keeps
// going after a bad header — so that one mistake fails the check about it, not every check; the
// mistakes are recorded in `problems`, for the check about the format to report.

import dgram from 'node:dgram';
import { track } from '../../../tools/harness/index.ts';
import { HEADER, MAX_CHUNKS, MAX_DATAGRAM, MAX_PAYLOAD, bytes, describeChunk, done } from './05-protocol.ts';

export interface Arrival {
  /** performance.now() when it was read. */
  at: number;
  size: number;
  from: string;
  id?: number;
  index?: number;
  count?: number;
  /** Lost on purpose: the reassembler never saw it. */
  dropped: boolean;
}

export interface ReferenceOptions {
  /** Quiet time before MISSING; null: never MISSING on its own (default 30 ms). */
  quietGapMs?: number | null;
  /** Answer MISSING the moment every index of the transfer has come at least once, kept or lost. */
  missingAfterPass?: boolean;
  /** Decides which chunks are lost on purpose: `seen` is how many times this index came before. */
  drop?: (c: { id: number; index: number; count: number; seen: number }) => boolean;
  /** Changes a reply before it goes, or loses it (null). `n` counts replies of that kind, from 1. */
  reply?: (text: string, n: number) => string | null;
  /** Never answer anything. */
  silent?: boolean;
  /** The socket's receive buffer (default 4 MiB, so that loopback loses nothing). */
  recvBufferSize?: number;
}

interface Transfer {
  count: number;
  chunks: Map<number, Buffer>;
  seen: Set<number>;
  timer?: NodeJS.Timeout;
  missingSent: boolean;
  passReported: boolean;
}

export class ReferenceServer {
  readonly socket: dgram.Socket;
  readonly arrivals: Arrival[] = [];
  /** Mistakes in the datagrams, in the learner's terms (the first few). */
  readonly problems: string[] = [];
  /** The replies sent, with when. */
  readonly replies: { text: string; at: number }[] = [];
  /** Complete transfers: "address:port|id" → the data. */
  readonly completed = new Map<string, Buffer>();
  /** The first sender it heard from (where sendLarge's socket is). */
  client: { address: string; port: number } | undefined;
  private readonly options: ReferenceOptions;
  private readonly transfers = new Map<string, Transfer>();
  private readonly doneText = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private waiters = new Set<() => void>();
  readonly close: () => Promise<void>;

  private constructor(socket: dgram.Socket, options: ReferenceOptions) {
    this.socket = socket;
    this.options = options;
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', () => {});
    this.close = track(
      () =>
        new Promise<void>((resolve) => {
          for (const t of this.transfers.values()) clearTimeout(t.timer);
          try {
            socket.close(() => resolve());
          } catch {
            resolve();
          }
        }),
    );
  }

  static async open(options: ReferenceOptions = {}): Promise<ReferenceServer> {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: options.recvBufferSize ?? 4 * 1024 * 1024 });
    const server = new ReferenceServer(socket, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Arrivals of chunks (not lost on purpose or lost) after `at`. */
  since(at: number): Arrival[] {
    return this.arrivals.filter((a) => a.at > at);
  }

  /** Resolves when `done()` holds, or false after `ms`, or as soon as `stop` settles. */
  async until(done: () => boolean, ms: number, stop?: Promise<unknown>): Promise<boolean> {
    const deadline = performance.now() + ms;
    let stopped = false;
    const wakeAll = () => {
      stopped = true;
      for (const wake of [...this.waiters]) wake();
    };
    void stop?.then(wakeAll, wakeAll);
    while (!done()) {
      const left = deadline - performance.now();
      if (left <= 0 || stopped) return false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
    return true;
  }

  /**
   * Resolves once the datagrams on their way have been read: when none has come for `quietMs`
   * (at most `maxMs`). The checker hears how a call ended through the probe's pipe, which can
   * be read before the last datagrams waiting in this socket are.
   */
  async drained(quietMs = 30, maxMs = 1000): Promise<void> {
    const deadline = performance.now() + maxMs;
    for (let seen = -1; seen !== this.arrivals.length && performance.now() < deadline; ) {
      seen = this.arrivals.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** Sends a datagram from the server's socket (to play a server that answers oddly). */
  sendRaw(text: string | Buffer, to: { address: string; port: number }): Promise<void> {
    return new Promise((resolve) => this.socket.send(text, to.port, to.address, () => resolve()));
  }

  private problem(text: string): void {
    if (this.problems.length < 5 && !this.problems.includes(text)) this.problems.push(text);
  }

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const from = `${rinfo.address}:${rinfo.port}`;
    const peer = { address: rinfo.address, port: rinfo.port };
    this.client ??= peer;
    const arrival: Arrival = { at: performance.now(), size: msg.length, from, dropped: false };
    this.arrivals.push(arrival);
    try {
      this.handle(msg, peer, from, arrival);
    } finally {
      for (const wake of [...this.waiters]) wake();
    }
  }

  private handle(msg: Buffer, peer: { address: string; port: number }, from: string, arrival: Arrival): void {
    if (msg.length > MAX_DATAGRAM) {
      this.problem(`${describeChunk(msg)}: a datagram may carry at most ${bytes(MAX_DATAGRAM)}, the header and ${bytes(MAX_PAYLOAD)} of payload`);
    }
    if (msg.length < HEADER) {
      this.problem(`a datagram of ${bytes(msg.length)}, shorter than the 12-byte header (${msg.toString('hex').slice(0, 24) || 'empty'})`);
      return this.send(`ERROR - ${msg.length} B is shorter than the 12-byte header`, peer);
    }
    const id = msg.readUInt32BE(0);
    const index = msg.readUInt32BE(4);
    const count = msg.readUInt32BE(8);
    Object.assign(arrival, { id, index, count });
    if (count === 0 || count > MAX_CHUNKS || index >= count) {
      this.problem(`${describeChunk(msg)}: ${count === 0 ? 'a count of 0 (empty data is one chunk with no payload)' : count > MAX_CHUNKS ? `a count over ${MAX_CHUNKS}` : 'its index is not below its count'}`);
      return this.send(`ERROR ${id} ${count === 0 ? 'count 0' : count > MAX_CHUNKS ? `count ${count} is over ${MAX_CHUNKS}` : `index ${index} is not below count ${count}`}`, peer);
    }
    const key = `${from}|${id}`;
    const remembered = this.doneText.get(key);
    let t = this.transfers.get(key);
    const seen = t?.seen.has(index) ? this.arrivals.filter((a) => a.from === from && a.id === id && a.index === index).length - 1 : 0;
    if (this.options.drop?.({ id, index, count, seen })) {
      arrival.dropped = true;
      if (t) {
        t.seen.add(index);
        this.afterPass(t, id, peer);
      } else if (!remembered) {
        // The first chunk of a transfer was lost: remember only that it passed by.
        t = this.start(key, count);
        t.seen.add(index);
      }
      return;
    }
    if (remembered) return this.send(remembered, peer);
    t ??= this.start(key, count);
    if (count !== t.count) {
      this.problem(`${describeChunk(msg)}: transfer ${id} began with a count of ${t.count}; every chunk must carry the same count`);
      return;
    }
    t.seen.add(index);
    if (!t.chunks.has(index)) t.chunks.set(index, msg.subarray(HEADER));
    t.missingSent = false;
    if (t.chunks.size === t.count) {
      clearTimeout(t.timer);
      this.transfers.delete(key);
      const data = Buffer.concat(Array.from({ length: t.count }, (_, i) => t.chunks.get(i)!));
      this.completed.set(key, data);
      const text = done(id, data);
      this.doneText.set(key, text);
      return this.send(text, peer);
    }
    this.afterPass(t, id, peer);
    const gap = this.options.quietGapMs === undefined ? 30 : this.options.quietGapMs;
    if (gap !== null) {
      clearTimeout(t.timer);
      const transfer = t;
      t.timer = setTimeout(() => this.missing(transfer, id, peer), gap);
    }
  }

  private start(key: string, count: number): Transfer {
    const t: Transfer = { count, chunks: new Map(), seen: new Set(), missingSent: false, passReported: false };
    this.transfers.set(key, t);
    return t;
  }

  /** With missingAfterPass: MISSING at once when every index has come by (kept or lost). */
  private afterPass(t: Transfer, id: number, peer: { address: string; port: number }): void {
    if (!this.options.missingAfterPass || t.passReported || t.seen.size < t.count || t.chunks.size === t.count) return;
    t.passReported = true;
    this.missing(t, id, peer);
  }

  private missing(t: Transfer, id: number, peer: { address: string; port: number }): void {
    if (t.missingSent || t.chunks.size === t.count) return;
    t.missingSent = true;
    const missing: number[] = [];
    for (let i = 0; i < t.count; i++) if (!t.chunks.has(i)) missing.push(i);
    const ranges: string[] = [];
    for (let i = 0; i < missing.length; ) {
      let j = i;
      while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
      ranges.push(i === j ? `${missing[i]}` : `${missing[i]}-${missing[j]}`);
      i = j + 1;
    }
    this.send(`MISSING ${id} ${ranges.join(',')}`, peer);
  }

  private send(text: string, to: { address: string; port: number }): void {
    if (this.options.silent) return;
    const kind = text.split(' ')[0]!;
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const out = this.options.reply ? this.options.reply(text, n) : text;
    if (out === null) return;
    this.replies.push({ text: out, at: performance.now() });
    this.socket.send(out, to.port, to.address, () => {});
  }
}
