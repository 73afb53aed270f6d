// Many clients for lab 10's checker, each from an address of its own in 127.0.0.0/8 (Linux lets a
// socket bind any of them; macOS only 127.0.0.1), and the server's memory as the kernel counts it.
//
// floodSources() plays up to tens of thousands of distinct sources with one short-lived socket
// each. Loopback drops datagrams that arrive faster than the receiver reads them, silently,
// so the sources go in batches: every socket of a batch but the last closes once its datagram is
// handed to the kernel (a close before the send callback loses it); the last waits for its reply,
// which comes only after the server has read the whole batch, since one socket's queue is read
// in order. Two batches of 96 in flight are three quarters of what the server's receive buffer
// holds: 256 datagrams of 64 bytes fill its default 212,992 bytes (measured), and the rest are
// dropped. The flood stops by itself when replies stop coming.

import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { track, type Endpoint } from '../../../tools/harness/index.ts';

/** The i-th of 65,024 distinct addresses in 127.`block`.0.0/16 (never .0 or .255 in the last byte). */
export function sourceAddress(block: number, i: number): string {
  return `127.${block}.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`;
}

/** Whether a socket can bind `address` (Linux: anything in 127.0.0.0/8; macOS: 127.0.0.1 only). */
export async function canBind(address: string): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  const ok = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(0, address, () => resolve(true));
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return ok;
}

/** Whether a udp6 socket can bind "::" (no IPv6 at all on some containers). */
export async function canBindDualStack(): Promise<boolean> {
  const socket = dgram.createSocket('udp6');
  const ok = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(0, '::', () => resolve(true));
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return ok;
}

export interface FloodProgress {
  /** Sources that have sent so far. */
  sent: number;
  /** Batches whose last source got no reply within the wait. */
  unanswered: number;
  /** Set when the flood gave up: that many batches in a row went unanswered. */
  stalledAt?: number;
}

export interface FloodOptions {
  target: Endpoint;
  /** The address of source i. */
  address: (i: number) => string;
  /** Sources [from, to). */
  from: number;
  to: number;
  payload: Buffer;
  batch?: number;
  /** How long the last source of a batch waits for its reply. */
  replyWaitMs?: number;
  /** Called after each batch, e.g. to have another client send meanwhile. */
  afterBatch?: (sent: number) => Promise<void> | void;
}

/**
 * Sends one datagram from each source in [from, to), in two lanes of batches so that one batch is
 * on its way while the other's reply is awaited (at most 2 × `batch` datagrams unread at once);
 * stops early if 3 batches in a row of one lane go unanswered.
 */
export async function floodSources(options: FloodOptions): Promise<FloodProgress> {
  const { target, address, from, to, payload, batch = 96, replyWaitMs = 1000 } = options;
  const open = new Set<dgram.Socket>();
  const closeAll = track(() => {
    for (const socket of open) closeQuietly(socket);
    open.clear();
  });
  const progress: FloodProgress = { sent: 0, unanswered: 0 };
  let next = from;
  const lane = async () => {
    let inARow = 0;
    while (next < to && progress.stalledAt === undefined) {
      const start = next;
      const end = Math.min(to, start + batch);
      next = end;
      const answered = await sendBatch(start, end);
      progress.sent += end - start;
      if (answered) inARow = 0;
      else {
        progress.unanswered++;
        if (++inARow >= 3) progress.stalledAt ??= progress.sent;
      }
      await options.afterBatch?.(progress.sent);
    }
  };
  try {
    await Promise.all([lane(), lane()]);
  } finally {
    await closeAll();
  }
  return progress;

  /** One datagram from each source in [start, end); whether the last one was answered. */
  async function sendBatch(start: number, end: number): Promise<boolean> {
    const sends: Promise<void>[] = [];
    let last: Promise<boolean> = Promise.resolve(true);
    for (let i = start; i < end; i++) {
      const socket = dgram.createSocket('udp4');
      open.add(socket);
      socket.on('error', () => {});
      const isLast = i === end - 1;
      const sent = new Promise<void>((resolve) => {
        socket.bind(0, address(i), () => {
          socket.send(payload, target.port, target.address, () => {
            if (!isLast) done(socket);
            resolve();
          });
        });
      });
      sends.push(sent);
      if (isLast) last = sent.then(() => replyWithin(socket, replyWaitMs)).finally(() => done(socket));
    }
    await Promise.all(sends);
    return last;
  }

  function done(socket: dgram.Socket) {
    open.delete(socket);
    closeQuietly(socket);
  }
}

function replyWithin(socket: dgram.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

/** The process's resident set size in bytes (Linux's /proc), or undefined elsewhere. */
export function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
