// A correct transfer in another style: one async loop per transfer instead of an object fed by
// events. Each round sends the window, then awaits the next ACK with events.once and an
// AbortSignal that times out; packets from strangers are answered by a listener of their own.
// Block numbers are kept as 16-bit numbers throughout, with the wrap handled by subtraction
// modulo 65,536, instead of counts that never wrap. It brings its own packet code.
import type dgram from 'node:dgram';
import { once } from 'node:events';

export interface TransferOptions {
  socket: dgram.Socket;
  peer: { address: string; port: number };
  name: string;
  data: Buffer;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  oack?: Buffer;
  log: (line: string) => void;
  onEnd?: () => void;
}

const u16 = (n: number) => n & 0xffff;

function packet(opcode: number, number: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.from([0, opcode, number >> 8, number & 0xff]);
  return Buffer.concat([head, rest]);
}

type Heard = { ack: number } | { stop: string };

export class Transfer {
  readonly #o: TransferOptions;

  constructor(options: TransferOptions) {
    this.#o = options;
  }

  start(): void {
    this.#run().catch((err: unknown) => this.#o.log(`${this.#o.name}: ${String(err)}`));
  }

  /** The next packet from the client that matters: an ACK, or a reason to stop; undefined on timeout. */
  async #hear(signal: AbortSignal): Promise<Heard | undefined> {
    const { socket, peer } = this.#o;
    for (;;) {
      let msg: Buffer;
      let from: dgram.RemoteInfo;
      try {
        [msg, from] = (await once(socket, 'message', { signal })) as [Buffer, dgram.RemoteInfo];
      } catch {
        return undefined;
      }
      const op = msg.length >= 2 ? msg.readUInt16BE(0) : 0;
      if (from.port !== peer.port || from.address !== peer.address) {
        if (op !== 5) socket.send(packet(5, 5, Buffer.from('Unknown transfer ID\0')), from.port, from.address);
        continue;
      }
      if (op === 4 && msg.length >= 4) return { ack: msg.readUInt16BE(2) };
      if (op === 5) return { stop: 'the client sent an ERROR' };
      socket.send(packet(5, 4, Buffer.from('ACK expected\0')), peer.port, peer.address);
      return { stop: `the client sent opcode ${op}` };
    }
  }

  async #run(): Promise<void> {
    const { socket, peer, data, blksize, windowsize, timeoutMs, retries, oack, log, name } = this.#o;
    socket.on('error', (err) => log(`${name}: ${err.message}`));
    const blocks = Math.floor(data.length / blksize) + 1; // the last one short, maybe empty
    const send = (b: Buffer) => socket.send(b, peer.port, peer.address);
    // `base` is how many blocks the client has (a count); `next16` the 16-bit number it acks last.
    let base = oack ? -1 : 0;
    let misses = 0;
    while (base < blocks) {
      const end = Math.min(base + windowsize, blocks);
      if (base < 0) send(oack!);
      else for (let b = base + 1; b <= end; b++) send(packet(3, u16(b), data.subarray((b - 1) * blksize, b * blksize)));
      let progressed = false;
      // Wait for an ACK that moves `base`; anything older is ignored, with the same deadline.
      const signal = AbortSignal.timeout(timeoutMs);
      while (!progressed) {
        const heard = await this.#hear(signal);
        if (heard === undefined) break;
        if ('stop' in heard) {
          log(`${name}: ${heard.stop}`);
          return this.#close();
        }
        const ahead = u16(heard.ack - u16(Math.max(base, 0)));
        const limit = base < 0 ? 0 : end - base;
        if ((base < 0 && heard.ack === 0) || (base >= 0 && ahead >= 1 && ahead <= limit)) {
          base = base < 0 ? 0 : base + ahead;
          progressed = true;
        }
      }
      if (progressed) misses = 0;
      else if (++misses > retries) {
        log(`${name}: giving up, no ACK after ${retries} retransmissions`);
        return this.#close();
      }
    }
    log(`${name}: done, ${data.length} bytes`);
    this.#close();
  }

  #close(): void {
    this.#o.socket.close();
    this.#o.onEnd?.();
  }
}
