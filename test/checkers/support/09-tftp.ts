// The checker's own TFTP client for lab 09, over real UDP: it reads a file the way a client does
// (RFC 1350, with the options of RFC 2347, 2348, 2349 and 7440), and it can misbehave on purpose,
// by rules the check gives it: pretend a DATA block or an ACK was lost, send an ACK twice, lose
// and delay packets at random from a seed. It records what it saw, for the check to judge and a
// failure to show. The benchmark (bench/09-reliability.ts) uses it too.

import dgram from 'node:dgram';
import { Random } from '../../../tools/udp/random.ts';
import { formatEndpoint, normaliseAddress, sameEndpoint, type Endpoint } from '../../../tools/udp/address.ts';
import { track, type Scope } from '../../../tools/harness/cleanup.ts';
import type { Datagram } from '../../../tools/harness/udp-client.ts';

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;
const OP_NAMES = ['?', 'RRQ', 'WRQ', 'DATA', 'ACK', 'ERROR', 'OACK'];

/** A packet that arrived, decoded as far as it goes. */
export interface Packet {
  op: number;
  /** DATA and ACK. */
  block?: number;
  /** DATA's payload. */
  data?: Buffer;
  /** ERROR. */
  code?: number;
  message?: string;
  /** OACK: names in lower case, values as sent. */
  options?: Map<string, string>;
  /** What is wrong with its format, if anything (an ERROR without its final zero byte…). */
  malformed?: string;
  raw: Buffer;
  from: Endpoint;
  at: number;
}

export function decode(d: Datagram): Packet {
  const raw = d.data;
  const from = { address: d.address, port: d.port };
  const op = raw.length >= 2 ? raw.readUInt16BE(0) : -1;
  const p: Packet = { op, raw, from, at: d.at };
  if (op === -1) return { ...p, malformed: `a packet of ${raw.length} B has no opcode` };
  if (op === OP.DATA || op === OP.ACK) {
    if (raw.length < 4) return { ...p, malformed: `a ${OP_NAMES[op]} of ${raw.length} B has no block number` };
    p.block = raw.readUInt16BE(2);
    if (op === OP.DATA) p.data = raw.subarray(4);
    else if (raw.length > 4) p.malformed = `an ACK of ${raw.length} B (4 expected)`;
    return p;
  }
  if (op === OP.ERROR) {
    if (raw.length < 5) return { ...p, malformed: `an ERROR of ${raw.length} B has no message and no final zero byte` };
    p.code = raw.readUInt16BE(2);
    const end = raw.indexOf(0, 4);
    p.message = raw.toString('utf8', 4, end < 0 ? raw.length : end);
    if (end < 0) p.malformed = 'its message does not end with a zero byte';
    else if (end !== raw.length - 1) p.malformed = `${raw.length - 1 - end} B follow the zero byte that ends its message`;
    return p;
  }
  if (op === OP.OACK) {
    const fields = raw.subarray(2).toString('latin1').split('\0');
    if (fields.pop() !== '') return { ...p, options: new Map(), malformed: 'its last field does not end with a zero byte' };
    if (fields.length % 2 !== 0) return { ...p, options: new Map(), malformed: `option "${fields.at(-1)}" has no value` };
    p.options = new Map();
    for (let i = 0; i < fields.length; i += 2) p.options.set(fields[i]!.toLowerCase(), fields[i + 1]!);
    return p;
  }
  return { ...p, malformed: `opcode ${op} is none of TFTP's` };
}

/** "DATA 3 (512 B)", "OACK blksize=1024 tsize=513", "ERROR 1 \"File not found\"", "ACK 0". */
export function describePacket(p: Packet): string {
  if (p.malformed && p.op !== OP.ERROR && p.op !== OP.OACK) return `${p.malformed}: hex ${p.raw.subarray(0, 12).toString('hex')}`;
  switch (p.op) {
    case OP.DATA:
      return `DATA ${p.block} (${p.data!.length} B)`;
    case OP.ACK:
      return `ACK ${p.block}`;
    case OP.ERROR:
      return `ERROR ${p.code} ${JSON.stringify(p.message)}${p.malformed ? ` (${p.malformed})` : ''}`;
    case OP.OACK:
      return `OACK ${[...p.options!].map(([k, v]) => `${k}=${v}`).join(' ') || '(no options)'}${p.malformed ? ` (${p.malformed})` : ''}`;
    default:
      return `opcode ${p.op} (${p.raw.length} B)`;
  }
}

export function describeFrom(p: Packet, server: Endpoint): string {
  const port = p.from.port === server.port ? `port ${p.from.port} (the server's own)` : `port ${p.from.port}`;
  return `${describePacket(p)} from ${port}`;
}

export function rrq(filename: string, mode = 'octet', options: readonly (readonly [string, string])[] = [], opcode: number = OP.RRQ): Buffer {
  const fields = [filename, mode, ...options.flat()].map((f) => Buffer.from(`${f}\0`, 'utf8'));
  const head = Buffer.alloc(2);
  head.writeUInt16BE(opcode, 0);
  return Buffer.concat([head, ...fields]);
}

export function ackPacket(block: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(OP.ACK, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

export function errorPacket(code: number, message: string): Buffer {
  const text = Buffer.from(`${message}\0`, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(OP.ERROR, 0);
  head.writeUInt16BE(code, 2);
  return Buffer.concat([head, text]);
}

/** `RRQ "a.bin" octet blksize=1024` */
export function describeRequest(filename: string, mode = 'octet', options: readonly (readonly [string, string])[] = []): string {
  return [`RRQ ${JSON.stringify(filename)} ${mode}`, ...options.map(([k, v]) => `${k}=${v}`)].join(' ');
}

/** The absolute block number (1, 2, …, 65,536, …) nearest `expected` that has this 16-bit number. */
export function unwrap(wire: number, expected: number): number {
  let delta = (wire - (expected & 0xffff) + 0x10000) % 0x10000;
  if (delta >= 0x8000) delta -= 0x10000;
  return expected + delta;
}

export interface FetchOptions {
  filename: string;
  mode?: string;
  options?: readonly (readonly [string, string])[];
  /** Pretend this copy (1, 2, …) of DATA block n (counted from 1, never wrapping) was lost. */
  loseData?: (block: number, copy: number) => boolean;
  /** Do not send this ACK of block n (0 for the OACK's); `copy` counts the ACKs of n so far, from 1. */
  loseAck?: (block: number, copy: number) => boolean;
  /** Send this ACK twice. */
  duplicateAck?: (block: number) => boolean;
  /** Send this ACK that many ms late. */
  delayAck?: (block: number, copy: number) => number;
  /** Random impairments, from a seed: each DATA and each ACK lost with probability `loss`, each delayed `delayMs`. */
  impair?: { seed: number; loss: number; delayMs: number };
  /** The transfer fails when nothing arrives for this long (default 1500 ms). */
  idleMs?: number;
  /** …or when it takes longer than this in all (default 10 s). */
  deadlineMs?: number;
  /** The client's address (127.0.0.1 by default). */
  address?: string;
  /** Asked every 50 ms (with the ms so far): a reason to give up now, when progress is too slow. */
  pace?: (r: FetchResult, ms: number) => string | undefined;
  /** Called for every packet from the transfer's port, before the client acts on it. */
  onPacket?: (p: Packet, t: Fetch) => void;
  /** How long the client's socket lasts: the check ('test', the default) or the file ('file', for a check's work started before it). */
  scope?: Scope;
}

export interface FetchResult {
  /** The server's port for this transfer, from its first answer. */
  tid?: Endpoint;
  oack?: Packet;
  error?: Packet;
  data: Buffer;
  /** The last block came, and its ACK went out. */
  complete: boolean;
  /** Why the transfer ended without completing. */
  why?: string;
  /** DATA packets received, those lost on purpose included: what the server sent. */
  dataReceived: number;
  /** How many times each block (absolute number, from 1) arrived; holes for none. */
  copies: number[];
  /** How many distinct blocks arrived. */
  distinct: number;
  /** The last block's absolute number, once known. */
  lastBlock?: number;
  blksize: number;
  windowsize: number;
  /** Packets that came from another port than the transfer's, after its first. */
  strangers: Packet[];
  /** When each copy of the OACK arrived (performance.now()). */
  oackAt: number[];
  /** The first DATA that came before the ACK that allows it had gone out, described. */
  early?: string;
  /** The last 12 things that happened, for a failure message. */
  trace: string[];
  elapsedMs: number;
  /** The client's address and port. */
  client: Endpoint;
  /** The client's socket, open until the end of the check. */
  socket: dgram.Socket;
}

/** A bound socket on loopback, closed after the test (or the file: `scope`); every send has a callback (FACTS 2). */
export async function openSocket(address = '127.0.0.1', scope?: Scope): Promise<dgram.Socket> {
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', () => {});
  track(() => new Promise<void>((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  }), scope);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

export function send(socket: dgram.Socket, packet: Buffer, to: Endpoint): void {
  try {
    socket.send(packet, to.port, to.address, () => {});
  } catch {
    // Closed: the check is over, and a late ACK has nobody left to go to.
  }
}

/**
 * One read request, the client's side: the state of the transfer, fed by the packets that
 * arrive, one 'message' event at a time (a wrap-around check receives 65,536 of them).
 */
export class Fetch {
  readonly result: FetchResult;
  readonly socket: dgram.Socket;
  private readonly o: FetchOptions;
  private readonly server: Endpoint;
  private chunks: Buffer[] = [];
  /** The next block wanted, absolute. */
  expected = 1;
  private sinceAck = 0;
  private gapReported = 0;
  private acks = new Map<number, number>();
  private random = { data: 0, ack: 0 };
  /** The highest block the ACKs sent so far allow the server to send; undefined before its first answer. */
  private allowed: number | undefined;
  private finish: () => void = () => {};

  constructor(server: Endpoint, socket: dgram.Socket, options: FetchOptions) {
    this.server = server;
    this.socket = socket;
    this.o = options;
    const { address, port } = socket.address();
    this.result = {
      data: Buffer.alloc(0),
      complete: false,
      dataReceived: 0,
      copies: [],
      distinct: 0,
      blksize: 512,
      windowsize: 1,
      strangers: [],
      oackAt: [],
      trace: [],
      elapsedMs: 0,
      client: { address: normaliseAddress(address), port },
      socket,
    };
  }

  note(line: string): void {
    this.result.trace.push(line);
    if (this.result.trace.length > 12) this.result.trace.shift();
  }

  async run(): Promise<FetchResult> {
    const { idleMs = 1500, deadlineMs = 10_000 } = this.o;
    const started = performance.now();
    let last = started;
    const delay = this.o.impair?.delayMs ?? 0;
    const onMessage = (data: Buffer, rinfo: dgram.RemoteInfo) => {
      last = performance.now();
      // A constant delay on the way in: each packet is handled `delay` ms after it arrived.
      if (delay > 0) setTimeout(() => this.receive(data, rinfo, last), delay);
      else this.receive(data, rinfo, last);
    };
    const over = new Promise<void>((resolve) => (this.finish = resolve));
    this.socket.on('message', onMessage);
    const watch = setInterval(() => {
      const now = performance.now();
      const slow = this.o.pace?.(this.result, now - started);
      if (now - started > deadlineMs) this.fail(`the transfer was not over after ${deadlineMs} ms`);
      else if (now - last > idleMs) this.fail(`nothing came for ${idleMs} ms`);
      else if (slow) this.fail(slow);
    }, Math.min(50, idleMs / 4));
    send(this.socket, rrq(this.o.filename, this.o.mode, this.o.options), this.server);
    this.note(`→ ${describeRequest(this.o.filename, this.o.mode, this.o.options)} to port ${this.server.port}`);
    await over;
    clearInterval(watch);
    this.socket.off('message', onMessage);
    this.result.data = Buffer.concat(this.chunks);
    this.result.elapsedMs = performance.now() - started;
    return this.result;
  }

  private fail(why: string): void {
    this.result.why ??= why;
    this.finish();
  }

  /** The fast way for what most packets are, DATA from the transfer's port; the rest is decoded. */
  private receive(data: Buffer, rinfo: dgram.RemoteInfo, at: number): void {
    const tid = this.result.tid;
    if (tid && data.length >= 4 && data[0] === 0 && data[1] === OP.DATA && rinfo.port === tid.port && normaliseAddress(rinfo.address) === tid.address && !this.o.onPacket) {
      if (this.result.complete || this.result.error || this.result.why) return;
      this.data(data.readUInt16BE(2), data.subarray(4));
      return;
    }
    this.handle(decode({ data, address: normaliseAddress(rinfo.address), port: rinfo.port, at }));
  }

  private handle(p: Packet): void {
    const r = this.result;
    if (r.complete || r.error || r.why) return;
    if (!r.tid) {
      r.tid = p.from;
      // Without an OACK, DATA 1 may come at once; after one, nothing before ACK 0.
      this.allowed = p.op === OP.OACK ? 0 : 1;
    } else if (!sameEndpoint(p.from, r.tid)) {
      // RFC 1350: a packet from another TID gets ERROR 5 and changes nothing.
      r.strangers.push(p);
      this.note(`← ${describeFrom(p, this.server)}, not the transfer's port ${r.tid.port}: answered ERROR 5`);
      if (p.op !== OP.ERROR) send(this.socket, errorPacket(5, 'Unknown transfer ID'), p.from);
      return;
    }
    this.o.onPacket?.(p, this);
    if (p.op === OP.ERROR) {
      r.error = p;
      this.note(`← ${describeFrom(p, this.server)}`);
      return this.finish();
    }
    if (p.op === OP.OACK && !p.malformed && this.expected === 1 && r.dataReceived === 0) {
      this.note(`← ${r.oack ? `${describePacket(p)} again` : describeFrom(p, this.server)}`);
      r.oack = p;
      r.oackAt.push(p.at);
      const blksize = Number(p.options!.get('blksize'));
      const windowsize = Number(p.options!.get('windowsize'));
      if (Number.isInteger(blksize) && blksize > 0) r.blksize = blksize;
      if (Number.isInteger(windowsize) && windowsize > 0) r.windowsize = windowsize;
      return this.ack(0);
    }
    if (p.op !== OP.DATA || p.malformed) {
      this.note(`← ${describeFrom(p, this.server)}`);
      return this.fail(`the server sent ${describeFrom(p, this.server)}, which a client receiving a file does not expect here`);
    }
    this.data(p.block!, p.data!);
  }

  /** DATA `wire` from the transfer's port. */
  private data(wire: number, payload: Buffer): void {
    const r = this.result;
    const block = unwrap(wire, this.expected);
    const size = payload.length;
    r.dataReceived++;
    if (block > this.allowed! && r.early === undefined) {
      const awaited = this.allowed! - r.windowsize + 1;
      r.early = `DATA ${wire} came before the client had sent ACK ${Math.max(0, awaited) & 0xffff}`;
    }
    const copy = (r.copies[block] ?? 0) + 1;
    r.copies[block] = copy;
    if (copy === 1) r.distinct++;
    const impair = this.o.impair;
    if (this.o.loseData?.(block, copy) || (impair && Random.derive(impair.seed, 1, this.random.data++).next() < impair.loss)) {
      this.note(`← DATA ${wire} (${size} B), lost on purpose`);
      return;
    }
    if (block === this.expected) {
      if (size > r.blksize) {
        this.note(`← DATA ${wire} (${size} B)`);
        return this.fail(`DATA ${wire} carries ${size} B, more than the block size of ${r.blksize}`);
      }
      this.chunks.push(payload);
      this.expected++;
      this.sinceAck++;
      const last = size < r.blksize;
      if (last) r.lastBlock = block;
      if (last || this.sinceAck >= r.windowsize) {
        this.note(`← DATA ${wire} (${size} B)${last ? ', the last' : ''}`);
        this.ack(block);
      }
    } else if (block > this.expected) {
      // A gap: something before this block was lost. Say once what we have (RFC 7440).
      this.note(`← DATA ${wire}, but ${this.expected & 0xffff} was expected`);
      if (this.gapReported !== this.expected) {
        this.gapReported = this.expected;
        this.ack(this.expected - 1);
      }
    } else {
      // A block we have: our ACK was lost, or came late. Say again what we have, once per
      // retransmission (which ends with the block before the one we expect).
      this.note(`← DATA ${wire} again`);
      if (block === this.expected - 1) this.ack(block);
    }
  }

  /** Sends ACK n (absolute), unless a rule loses it. */
  ack(block: number): void {
    const r = this.result;
    this.sinceAck = 0;
    const copy = (this.acks.get(block) ?? 0) + 1;
    this.acks.set(block, copy);
    const impair = this.o.impair;
    if (this.o.loseAck?.(block, copy) || (impair && Random.derive(impair.seed, 2, this.random.ack++).next() < impair.loss)) {
      this.note(`→ ACK ${block & 0xffff}, lost on purpose`);
      return;
    }
    const times = this.o.duplicateAck?.(block) ? 2 : 1;
    const packet = ackPacket(block);
    const tid = r.tid!;
    const go = () => {
      for (let i = 0; i < times; i++) send(this.socket, packet, tid);
      this.allowed = Math.max(this.allowed!, block + r.windowsize);
    };
    const delay = (impair?.delayMs ?? 0) + (this.o.delayAck?.(block, copy) ?? 0);
    if (delay > 0) setTimeout(go, delay);
    else go();
    this.note(`→ ACK ${block & 0xffff}${times > 1 ? ' twice' : ''}${delay > 0 ? ` after ${delay} ms` : ''}`);
    if (r.lastBlock !== undefined && block === r.lastBlock) {
      r.complete = true;
      this.finish();
    }
  }
}

export async function fetchFile(server: Endpoint, options: FetchOptions): Promise<FetchResult> {
  const socket = await openSocket(options.address, options.scope);
  return new Fetch(server, socket, options).run();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export { formatEndpoint };
