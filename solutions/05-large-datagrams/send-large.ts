// Lab 05 · Large datagrams: the sender.
//
// sendLarge(host, port, data, options) sends `data` (a Buffer, or a string,
// sent as UTF-8) to the lab's server as one transfer (the wire format is in
// chunks.ts), and resolves once the server's DONE names the right length
// and SHA-256. In rounds:
//
//   1. cut the data into chunks and send every one, paced;
//   2. wait up to `timeoutMs` for a reply from host:port about this id;
//   3. MISSING: send the chunks it names, and wait again (2);
//      nothing: send again every chunk not yet acknowledged, wait again;
//      DONE:    resolve if its length and SHA-256 are the data's, else
//               reject (code 'MISMATCH');
//      ERROR, BUSY: reject at once ('REFUSED', 'BUSY');
//   4. after `maxRounds` rounds of sending without a DONE, reject
//      ('GAVE_UP'). The socket is closed on every way out.
//
// A chunk is acknowledged when a MISSING reply leaves it out: the server
// lists every chunk it still lacks.
//
// Try it:   start the lab's server (npm start -- demo 05 runs the lesson's),
//           then: await sendLarge('127.0.0.1', 8080, Buffer.alloc(100_000))
// Check it: npm start -- check 05

import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseReply, sha256, splitIntoChunks, type Reply } from './chunks.ts';

export interface SendOptions {
  /** The transfer id, 0 to 2³² - 1 (default: a random one). */
  id?: number;
  /** How long to wait for a reply after each round (default 1000 ms). */
  timeoutMs?: number;
  /** Rounds of sending before giving up (default 10). */
  maxRounds?: number;
}

export interface SendResult {
  id: number;
  bytes: number;
  sha256: string;
  /** Rounds of sending it took: 1 if nothing was lost. */
  rounds: number;
  /** Datagrams sent, resent ones included. */
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

// Pacing: at most BURST chunks, then a pause of PAUSE_MS, so at most 16
// chunks (19 KB) a millisecond. Sent flat out, a thousand chunks reach the
// receiver's buffer (212,992 B by default: about 90 datagrams of this size)
// faster than it is read, and the kernel silently drops what does not fit:
// half of a burst is lost on loopback. Neither the send callback nor
// setImmediate is a pause: only time lets the receiver catch up.
export const BURST = 16;
export const PAUSE_MS = 1;

export async function sendLarge(
  host: string,
  port: number,
  data: Buffer | string,
  { id = randomInt(2 ** 32), timeoutMs = 1000, maxRounds = 10 }:
    SendOptions = {},
): Promise<SendResult> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunks = splitIntoChunks(id, bytes);
  const hash = sha256(bytes);
  // rinfo.address is numeric, so a name is looked up first (see lab 01).
  const address = isIP(host) ? host : (await lookup(host)).address;
  const server = `${address}:${port}`;
  const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');

  // The replies, kept until the round that waits for them takes them. A
  // final answer (DONE, ERROR, BUSY) wins over a MISSING; a newer MISSING
  // replaces an older one.
  let latest: Reply | undefined;
  let failure: Error | undefined;
  let wake = () => {};
  socket.on('message', (msg, rinfo) => {
    const from = rinfo.address.replace(/^::ffff:/, '');
    if (from !== address || rinfo.port !== port) return; // a stranger's
    const reply = parseReply(msg);
    if (reply?.id !== id) return; // another transfer's, or not a reply
    if (!latest || latest.kind === 'MISSING') latest = reply;
    wake();
  });
  socket.on('error', (err) => {
    failure = err;
    wake();
  });

  const nextReply = () =>
    new Promise<Reply | undefined>((resolve) => {
      const take = () => {
        clearTimeout(timer);
        wake = () => {};
        const reply = latest;
        latest = undefined;
        resolve(reply);
      };
      const timer = setTimeout(take, timeoutMs);
      wake = take;
      if (latest || failure) take();
    });

  const send = (datagram: Buffer) =>
    new Promise<void>((resolve, reject) => {
      socket.send(datagram, port, address, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });

  let datagrams = 0;
  async function sendPaced(indices: number[]): Promise<void> {
    for (let i = 0; i < indices.length; i += BURST) {
      if (i > 0) await sleep(PAUSE_MS);
      const burst = indices.slice(i, i + BURST);
      await Promise.all(burst.map((index) => send(chunks[index]!)));
      datagrams += burst.length;
    }
  }

  try {
    // Not yet acknowledged: at first, every chunk.
    let pending = chunks.map((_, index) => index);
    for (let round = 1; round <= maxRounds; round++) {
      await sendPaced(pending);
      const reply = await nextReply();
      if (failure) throw failure;
      if (!reply) continue; // nothing came back: send `pending` again
      switch (reply.kind) {
        case 'MISSING':
          // Every index it leaves out has arrived; keep only real ones.
          pending = reply.indices.filter((i) => i < chunks.length);
          break;
        case 'DONE':
          if (reply.bytes === bytes.length && reply.sha256 === hash) {
            return { id, bytes: bytes.length, sha256: hash, rounds: round,
              datagrams };
          }
          throw new TransferError('MISMATCH', `${server} assembled ` +
            `${reply.bytes} B with sha256 ${reply.sha256} for transfer ` +
            `${id}; sent were ${bytes.length} B with sha256 ${hash}`);
        case 'ERROR':
          throw new TransferError('REFUSED',
            `${server} refused transfer ${id}: ${reply.reason}`);
        case 'BUSY':
          throw new TransferError('BUSY', `${server} is too busy to ` +
            `start transfer ${id}: try again later`);
      }
    }
    throw new TransferError('GAVE_UP', `no DONE from ${server} for ` +
      `transfer ${id} after ${maxRounds} rounds of sending`);
  } finally {
    socket.close();
  }
}
