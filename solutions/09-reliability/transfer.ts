// Lab 09 · Reliability: one transfer, the sender's side of a read request.
//
// A Transfer owns a socket of its own, whose port is the server's transfer
// ID (TID) for this one client; the client's TID is its own address and
// port. It is a small object fed by events: a packet arrives, or the timer
// fires. What it does with them, in the words of the RFCs:
//
//   - It sends up to `windowsize` DATA blocks (1 without the option: stop-
//     and-wait), numbered from 1, then waits for an ACK. Block n holds bytes
//     (n-1)*blksize to n*blksize of the file; a block shorter than blksize,
//     possibly empty, is the last one.
//   - An ACK for block n says "I have every block up to n". If n is the
//     last block, the transfer is done. Otherwise it sends the window that
//     starts at n+1 (RFC 7440): after a lost block the client acknowledges
//     the last one it got in order, and the sender goes on from there.
//   - An ACK for a block acknowledged already (a duplicate, or a late one
//     from an earlier window) changes nothing and sends nothing: resending
//     on a duplicate ACK is the Sorcerer's Apprentice bug (RFC 1123).
//   - When no new ACK comes within the timeout, it sends again what is not
//     acknowledged (the OACK, or the window from the first unacknowledged
//     block). After `retries` such timeouts in a row, it gives up.
//   - Block numbers are 16 bits on the wire: block 65,536 goes out as 0.
//   - A packet from any other address or port gets ERROR 5 and changes
//     nothing. An ERROR from the client ends the transfer; anything else
//     from the client that is not an ACK gets ERROR 4 and ends it.

import type dgram from 'node:dgram';
import {
  ERR,
  dataPacket,
  errorPacket,
  parseReply,
} from './packets.ts';

export interface TransferOptions {
  /** Bound to a port of its own; the transfer closes it when it ends. */
  socket: dgram.Socket;
  /** The client's address and port: its TID. */
  peer: { address: string; port: number };
  /** For log lines: the filename and the client, as the server names them. */
  name: string;
  data: Buffer;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  /** Sent first when the client's options were accepted (RFC 2347). */
  oack?: Buffer;
  log: (line: string) => void;
  onEnd?: () => void;
}

export class Transfer {
  private readonly o: TransferOptions;
  /** The number of the last block: a short one, possibly empty. */
  private readonly last: number;
  /** The highest block acknowledged: -1 while the OACK waits for ACK 0. */
  private acked: number;
  /** The highest block sent so far. */
  private sent = 0;
  /** Timeouts in a row without a new ACK. */
  private timeouts = 0;
  private resent = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(options: TransferOptions) {
    this.o = options;
    // 0 bytes: one empty block. 512 bytes: a full block 1, then an empty
    // block 2, which says "that was all". 513: blocks of 512 and 1.
    this.last = Math.floor(options.data.length / options.blksize) + 1;
    this.acked = options.oack ? -1 : 0;
    options.socket.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
    options.socket.on('error', (err) => this.o.log(`${this.o.name}: ${err}`));
  }

  start(): void {
    if (this.o.oack) this.sendOack();
    else this.sendWindow();
  }

  private onPacket(msg: Buffer, from: dgram.RemoteInfo): void {
    if (this.ended) return;
    const reply = parseReply(msg);
    const { peer } = this.o;
    if (from.address !== peer.address || from.port !== peer.port) {
      // Someone else's packet (RFC 1350, section 4): tell them, and carry
      // on as if nothing had come. An ERROR is never answered with one.
      if (reply.kind !== 'error') {
        const error = errorPacket(ERR.UNKNOWN_TID, 'unknown transfer ID');
        this.send(error, from, () => {});
      }
      return;
    }
    if (reply.kind === 'ack') this.onAck(reply.block);
    else if (reply.kind === 'error') {
      this.end(`the client sent ERROR ${reply.code} (${reply.message})`);
    } else {
      this.end(`the client sent opcode ${reply.opcode}`, errorPacket(
        ERR.ILLEGAL, 'expected an ACK'));
    }
  }

  private onAck(wire: number): void {
    // The 16-bit number names the latest block sent with that number:
    // with 65,536 blocks between two that share a number, no ACK can mean
    // anything else.
    const block = this.sent - ((this.sent - wire) & 0xffff);
    // A duplicate, or a late ACK of an earlier window: we have acted on it
    // already. Sending again now would double every block from here on.
    if (block <= this.acked) return;
    this.acked = block;
    this.timeouts = 0;
    if (block === this.last) {
      const size = this.o.data.length;
      this.end(`sent ${size} bytes in ${this.last} block(s), ` +
        `${this.resent} timeout(s)`);
      return;
    }
    this.sendWindow();
  }

  /** The window from the first unacknowledged block. */
  private sendWindow(): void {
    const { blksize, windowsize, data } = this.o;
    const to = Math.min(this.acked + windowsize, this.last);
    for (let block = this.acked + 1; block <= to; block++) {
      const chunk = data.subarray((block - 1) * blksize, block * blksize);
      // writeUInt16BE throws a RangeError for 65,536: the number wraps.
      this.send(dataPacket(block & 0xffff, chunk), this.o.peer);
      this.sent = Math.max(this.sent, block);
    }
    this.arm();
  }

  private sendOack(): void {
    this.send(this.o.oack!, this.o.peer);
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(), this.o.timeoutMs);
  }

  private onTimeout(): void {
    if (this.timeouts === this.o.retries) {
      this.end(`gave up: no ACK after ${this.timeouts} retransmissions ` +
        `of block ${this.acked + 1}`);
      return;
    }
    this.timeouts++;
    this.resent++;
    if (this.acked < 0) this.sendOack();
    else this.sendWindow();
  }

  /** Ends the transfer, after sending `last` when given; closes the socket. */
  private end(why: string, last?: Buffer): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.o.log(`${this.o.name}: ${why}`);
    const close = () => {
      this.o.socket.close();
      this.o.onEnd?.();
    };
    // Close in the send's callback: a send still under way when the
    // socket closes is dropped without a word.
    if (last) this.send(last, this.o.peer, close);
    else close();
  }

  private send(
    packet: Buffer,
    to: { address: string; port: number },
    done?: () => void,
  ): void {
    this.o.socket.send(packet, to.port, to.address, (err) => {
      if (err) this.o.log(`${this.o.name}: send failed: ${err.message}`);
      done?.();
    });
  }
}
