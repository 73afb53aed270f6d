// A correct lab 05 client written differently: a connected socket (the kernel drops datagrams
// from anyone but the server), and a small object fed by events — a batch timer that paces the
// chunks, a reply timer, and the replies — instead of a loop of rounds.

import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseReply, splitIntoChunks, type Reply } from './chunks.ts';

export interface SendOptions {
  id?: number;
  timeoutMs?: number;
  maxRounds?: number;
}

export interface SendResult {
  id: number;
  bytes: number;
  sha256: string;
  rounds: number;
  datagrams: number;
}

export class TransferError extends Error {
  override name = 'TransferError';
  readonly code: 'GAVE_UP' | 'MISMATCH' | 'REFUSED' | 'BUSY';
  constructor(code: TransferError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export const BURST = 16;
export const PAUSE_MS = 1;

interface Job {
  socket: dgram.Socket;
  chunks: Buffer[];
  id: number;
  data: Buffer;
  hash: string;
  timeoutMs: number;
  maxRounds: number;
  settle: (err: Error | undefined, result?: SendResult) => void;
}

class Sender {
  private readonly job: Job;
  private queue: number[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private replyTimer: NodeJS.Timeout | undefined;
  private rounds = 0;
  private sent = 0;
  private pending: number[];
  /** A MISSING came while this round was still sending: begin the next one as soon as it ends. */
  private askedMidRound = false;
  private stopped = false;

  constructor(job: Job) {
    this.job = job;
    this.pending = job.chunks.map((_, i) => i);
    job.socket.on('message', (msg) => this.onReply(parseReply(msg)));
    // Connected, an ICMP "port unreachable" arrives as ECONNREFUSED: as good as a lost datagram.
    job.socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNREFUSED') this.finish(err);
    });
  }

  start(): void {
    this.round();
  }

  private round(): void {
    if (this.stopped) return;
    if (++this.rounds > this.job.maxRounds) {
      this.finish(new TransferError('GAVE_UP', `transfer ${this.job.id}: no DONE after ${this.job.maxRounds} rounds`));
      return;
    }
    clearTimeout(this.replyTimer);
    this.queue = [...this.pending];
    this.askedMidRound = false;
    this.batch();
  }

  private batch(): void {
    if (this.stopped) return;
    const now = this.queue.splice(0, BURST);
    for (const i of now) {
      this.sent++;
      this.job.socket.send(this.job.chunks[i]!, (err) => err && this.finish(err));
    }
    if (this.queue.length > 0) this.batchTimer = setTimeout(() => this.batch(), PAUSE_MS);
    else if (this.askedMidRound) this.batchTimer = setTimeout(() => this.round(), PAUSE_MS);
    else this.replyTimer = setTimeout(() => this.round(), this.job.timeoutMs);
  }

  private onReply(reply: Reply | undefined): void {
    const { id, data, hash, chunks } = this.job;
    if (this.stopped || !reply || reply.id !== id) return;
    if (reply.kind === 'MISSING') {
      this.pending = reply.indices.filter((i) => i < chunks.length);
      // Mid-round, the rest of this round goes on; otherwise a new round begins now.
      if (this.queue.length > 0) this.askedMidRound = true;
      else this.round();
    } else if (reply.kind === 'DONE') {
      if (reply.bytes === data.length && reply.sha256 === hash) {
        this.finish(undefined, { id, bytes: data.length, sha256: hash, rounds: this.rounds, datagrams: this.sent });
      } else {
        this.finish(new TransferError('MISMATCH', `transfer ${id}: the server has ${reply.bytes} B (${reply.sha256}), not ${data.length} B (${hash})`));
      }
    } else if (reply.kind === 'BUSY') {
      this.finish(new TransferError('BUSY', `transfer ${id}: the server is busy`));
    } else {
      this.finish(new TransferError('REFUSED', `transfer ${id} refused: ${reply.reason}`));
    }
  }

  private finish(err: Error | undefined, result?: SendResult): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.batchTimer);
    clearTimeout(this.replyTimer);
    this.job.socket.close(() => this.job.settle(err, result));
  }
}

export async function sendLarge(host: string, port: number, data: Buffer | string, options: SendOptions = {}): Promise<SendResult> {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  const id = options.id ?? randomBytes(4).readUInt32BE(0);
  const chunks = splitIntoChunks(id, bytes);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const address = isIP(host) ? host : (await lookup(host, { family: 4 })).address;
  const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return new Promise((resolve, reject) => {
    const settle = (err: Error | undefined, result?: SendResult) => (err ? reject(err) : resolve(result!));
    new Sender({ socket, chunks, id, data: bytes, hash, timeoutMs: options.timeoutMs ?? 1000, maxRounds: options.maxRounds ?? 10, settle }).start();
  });
}
