// A correct lab 05 written differently: one Map holds every transfer in one of two states, open
// or done; an open transfer keeps its payloads in an array of slots and a bitmap of what came;
// completed ones are forgotten lazily when looked up, and by tick(); a FIFO of keys caps them.

import { doneReply, missingReply, parseChunk, sha256 } from './chunks.ts';

export interface Peer {
  address: string;
  port: number;
}

export type Event =
  | { type: 'reply'; to: Peer; text: string }
  | { type: 'delivered'; from: Peer; id: number; data: Buffer; sha256: string }
  | { type: 'dropped'; from: Peer; id: number; received: number; count: number };

export interface Limits {
  quietGapMs: number;
  idleMs: number;
  doneMemoryMs: number;
  maxTransfers: number;
  maxRemembered: number;
}

export const DEFAULTS: Readonly<Limits> = { quietGapMs: 200, idleMs: 10_000, doneMemoryMs: 30_000, maxTransfers: 64, maxRemembered: 1024 };

type State =
  | { kind: 'open'; from: Peer; id: number; slots: (Buffer | undefined)[]; came: Uint8Array; have: number; last: number; asked: boolean }
  | { kind: 'done'; text: string; expires: number };

export class Reassembler {
  readonly #limits: Limits;
  readonly #now: () => number;
  readonly #states = new Map<string, State>();
  /** Completed transfers, oldest first: a key and when it expires (a key may complete again later). */
  readonly #doneOrder: { key: string; expires: number }[] = [];
  #open = 0;
  #done = 0;

  constructor({ now = () => performance.now(), ...limits }: Partial<Limits> & { now?: () => number } = {}) {
    this.#limits = { ...DEFAULTS, ...limits };
    this.#now = now;
  }

  get inProgress(): number {
    return this.#open;
  }

  receive(from: Peer, datagram: Buffer): Event[] {
    const parsed = parseChunk(datagram);
    if (!parsed.ok) return [{ type: 'reply', to: from, text: `ERROR ${parsed.id === undefined ? '-' : parsed.id} ${parsed.reason}` }];
    const { id, index, count, payload } = parsed.chunk;
    const key = JSON.stringify([from.address, from.port, id]);
    let state = this.#states.get(key);
    if (state?.kind === 'done' && state.expires <= this.#now()) {
      this.#forget({ key, expires: state.expires });
      state = undefined;
    }
    if (state?.kind === 'done') return [{ type: 'reply', to: from, text: state.text }];
    if (!state) {
      if (this.#open >= this.#limits.maxTransfers) return [{ type: 'reply', to: from, text: `BUSY ${id}` }];
      state = { kind: 'open', from, id, slots: new Array<Buffer | undefined>(count), came: new Uint8Array(Math.ceil(count / 8)), have: 0, last: 0, asked: false };
      this.#states.set(key, state);
      this.#open++;
    }
    if (state.slots.length !== count) return [{ type: 'reply', to: from, text: `ERROR ${id} this transfer has ${state.slots.length} chunks, not ${count}` }];
    state.last = this.#now();
    state.asked = false;
    const bit = 1 << (index & 7);
    if ((state.came[index >> 3]! & bit) === 0) {
      state.came[index >> 3]! |= bit;
      state.slots[index] = payload;
      state.have++;
    }
    if (state.have !== count) return [];
    const data = Buffer.concat(state.slots as Buffer[]);
    const text = doneReply(id, data);
    this.#open--;
    const expires = this.#now() + this.#limits.doneMemoryMs;
    this.#states.set(key, { kind: 'done', text, expires });
    this.#done++;
    this.#doneOrder.push({ key, expires });
    while (this.#done > this.#limits.maxRemembered) this.#forget(this.#doneOrder.shift()!);
    return [
      { type: 'reply', to: from, text },
      { type: 'delivered', from, id, data, sha256: sha256(data) },
    ];
  }

  tick(): Event[] {
    const now = this.#now();
    const out: Event[] = [];
    while (this.#doneOrder.length > 0 && this.#doneOrder[0]!.expires <= now) this.#forget(this.#doneOrder.shift()!);
    for (const [key, s] of [...this.#states]) {
      if (s.kind === 'done') continue;
      if (now - s.last >= this.#limits.idleMs) {
        this.#states.delete(key);
        this.#open--;
        out.push({ type: 'dropped', from: s.from, id: s.id, received: s.have, count: s.slots.length });
      } else if (now - s.last >= this.#limits.quietGapMs && !s.asked) {
        s.asked = true;
        const missing = [...s.slots.keys()].filter((i) => (s.came[i >> 3]! & (1 << (i & 7))) === 0);
        out.push({ type: 'reply', to: s.from, text: missingReply(s.id, missing, s.slots.length) });
      }
    }
    return out;
  }

  /** Forgets a completed transfer, unless it has since begun again. */
  #forget({ key, expires }: { key: string; expires: number }): void {
    const s = this.#states.get(key);
    if (s?.kind !== 'done' || s.expires !== expires) return;
    this.#states.delete(key);
    this.#done--;
  }
}
