// Lab 05 · Large datagrams: the reassembler, the server's memory of every
// transfer. It is fed one datagram at a time and asked, every few
// milliseconds, what time has made due; it answers with events for the
// server to act on. It never touches a socket or a real clock (`now` is
// injected), so it can be tested without waiting 30 seconds.
//
//   const r = new Reassembler({ now: () => performance.now() });
//   r.receive({ address, port }, datagram)   → Event[]
//   r.tick()                                 → Event[]
//
// Events: { type: 'reply', to, text }: send `text` to `to`;
//         { type: 'delivered', from, id, data, sha256 }: a complete
//           transfer, handed over once;
//         { type: 'dropped', from, id, received, count }: an incomplete
//           transfer forgotten after `idleMs` of silence.
//
// The rules (the wire format is in chunks.ts):
//   - a transfer is named by its sender's address, its sender's port and
//     its id: two senders may both use id 1, and one sender may run two
//     transfers at once;
//   - a chunk that does not parse gets ERROR; so does one whose count
//     differs from the count its transfer started with, and the transfer
//     goes on as if it had never come;
//   - a transfer is complete when every index from 0 to count - 1 has
//     arrived, however many duplicates came: DONE, and it is delivered;
//   - for `doneMemoryMs` (30 s) after that, any chunk of it gets the same
//     DONE again and is not delivered again (at most `maxRemembered` are
//     remembered; the oldest is forgotten first);
//   - quiet for `quietGapMs` (200 ms) while incomplete: MISSING, once until
//     more of its chunks come;
//   - quiet for `idleMs` (10 s): dropped;
//   - at most `maxTransfers` (64) in progress: a chunk that would start
//     another gets BUSY.

import { doneReply, missingReply, parseChunk, sha256 } from './chunks.ts';

export interface Peer {
  address: string;
  port: number;
}

export type Event =
  | { type: 'reply'; to: Peer; text: string }
  | { type: 'delivered'; from: Peer; id: number; data: Buffer;
      sha256: string }
  | { type: 'dropped'; from: Peer; id: number; received: number;
      count: number };

export interface Limits {
  quietGapMs: number;
  idleMs: number;
  doneMemoryMs: number;
  maxTransfers: number;
  maxRemembered: number;
}

export const DEFAULTS: Readonly<Limits> = {
  quietGapMs: 200,
  idleMs: 10_000,
  doneMemoryMs: 30_000,
  maxTransfers: 64,
  maxRemembered: 1024,
};

interface Transfer {
  from: Peer;
  id: number;
  count: number;
  /** index → payload. Only what has arrived takes memory. */
  chunks: Map<number, Buffer>;
  lastSeen: number;
  missingSent: boolean;
}

interface Done {
  text: string;
  until: number;
}

export class Reassembler {
  private readonly limits: Limits;
  private readonly now: () => number;
  private readonly transfers = new Map<string, Transfer>();
  /** In the order they completed, so the oldest come first. */
  private readonly done = new Map<string, Done>();

  constructor(options: Partial<Limits> & { now?: () => number } = {}) {
    const { now = () => performance.now(), ...limits } = options;
    this.limits = { ...DEFAULTS, ...limits };
    this.now = now;
  }

  get inProgress(): number {
    return this.transfers.size;
  }

  receive(from: Peer, datagram: Buffer): Event[] {
    const reply = (text: string): Event[] =>
      [{ type: 'reply', to: from, text }];
    const parsed = parseChunk(datagram);
    if (!parsed.ok) return reply(`ERROR ${parsed.id ?? '-'} ${parsed.reason}`);
    const { id, index, count, payload } = parsed.chunk;

    // The address, the port and the id together name a transfer. The
    // address alone would mix two programs on one machine; the port alone
    // would mix two machines; the id alone would mix everyone. '|' cannot
    // occur in an address, even an IPv6 one (which has ':').
    const key = `${from.address}|${from.port}|${id}`;

    const done = this.done.get(key);
    if (done && done.until > this.now()) return reply(done.text);
    if (done) this.done.delete(key);

    let transfer = this.transfers.get(key);
    if (!transfer) {
      if (this.transfers.size >= this.limits.maxTransfers) {
        return reply(`BUSY ${id}`);
      }
      transfer = { from, id, count, chunks: new Map(), lastSeen: 0,
        missingSent: false };
      this.transfers.set(key, transfer);
    }
    if (count !== transfer.count) {
      return reply(`ERROR ${id} count ${count} differs from ${transfer.count}`);
    }
    transfer.lastSeen = this.now();
    transfer.missingSent = false;
    // A duplicate is stored once: the Map's size counts distinct indices,
    // so a duplicate can never stand in for a chunk that is still missing.
    if (!transfer.chunks.has(index)) transfer.chunks.set(index, payload);
    if (transfer.chunks.size < count) return [];

    const parts: Buffer[] = [];
    for (let i = 0; i < count; i++) parts.push(transfer.chunks.get(i)!);
    const data = Buffer.concat(parts);
    const text = doneReply(id, data);
    this.transfers.delete(key);
    this.remember(key, text);
    return [
      { type: 'reply', to: from, text },
      { type: 'delivered', from, id, data, sha256: sha256(data) },
    ];
  }

  /** What the passing of time has made due: MISSING replies, drops. */
  tick(): Event[] {
    const now = this.now();
    const events: Event[] = [];
    for (const [key, t] of this.transfers) {
      const quiet = now - t.lastSeen;
      if (quiet >= this.limits.idleMs) {
        this.transfers.delete(key);
        events.push({ type: 'dropped', from: t.from, id: t.id,
          received: t.chunks.size, count: t.count });
      } else if (quiet >= this.limits.quietGapMs && !t.missingSent) {
        t.missingSent = true;
        const missing: number[] = [];
        for (let i = 0; i < t.count; i++) if (!t.chunks.has(i)) missing.push(i);
        events.push({ type: 'reply', to: t.from,
          text: missingReply(t.id, missing, t.count) });
      }
    }
    // Forget completed transfers once their time is up, oldest first.
    for (const [key, d] of this.done) {
      if (d.until > now) break;
      this.done.delete(key);
    }
    return events;
  }

  private remember(key: string, text: string): void {
    this.done.set(key, { text, until: this.now() + this.limits.doneMemoryMs });
    // A stranger who completes a thousand tiny transfers a second must not
    // be able to fill the memory: the oldest is forgotten first.
    if (this.done.size > this.limits.maxRemembered) {
      const oldest = this.done.keys().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }
}
