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
    // TODO: 1. The number of the last block. Every block but the last holds
    //          blksize bytes; the last is shorter, possibly empty, and that
    //          is how the client knows it is the last. How many blocks for
    //          0 bytes? For 512, with blksize 512? For 513?
    this.last = Math.ceil(options.data.length / options.blksize);
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
    // TODO: 2. A packet from another address or port than the client's
    //          (this.o.peer) is someone else's (RFC 1350): answer it with
    //          ERROR 5, ERR.UNKNOWN_TID, unless it is an ERROR itself, and
    //          return: it changes nothing in this transfer.
    if (reply.kind === 'ack') this.onAck(reply.block);
    // TODO: 3. An ERROR from the client ends the transfer: this.end(why).
    //          Anything else from the client that is not an ACK gets ERROR 4
    //          and ends it too: this.end(why, errorPacket(ERR.ILLEGAL, ...)).
    void from;
  }

  private onAck(wire: number): void {
    // TODO: 4. The heart of the lab: an ACK for block n says "I have every
    //          block up to n".
    //          - The number on the wire has 16 bits; your counts do not. Find
    //            the block it names: the latest one sent with that number.
    //          - A block acknowledged already (a duplicate ACK, or a late one
    //            from an earlier window) changes nothing: return, and above
    //            all send nothing (the Sorcerer's Apprentice, RFC 1123).
    //          - Any other is progress: remember it, reset this.timeouts,
    //            and end the transfer if it was the last block, or else send
    //            the window that follows it (this.sendWindow()).
    void wire;
  }

  /** The window from the first unacknowledged block. */
  private sendWindow(): void {
    const { blksize, windowsize, data } = this.o;
    const to = Math.min(this.acked + windowsize, this.last);
    for (let block = this.acked + 1; block <= to; block++) {
      const chunk = data.subarray((block - 1) * blksize, block * blksize);
      // TODO: 5. Block numbers have 16 bits on the wire: after 65,535
      //          comes 0. writeUInt16BE throws a RangeError for 65,536.
      this.send(dataPacket(block, chunk), this.o.peer);
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
    // TODO: 6. No new ACK within the timeout: a packet was lost, one way or
    //          the other. Send again what is not acknowledged yet (the OACK
    //          while this.acked is -1, else the window), and count it in
    //          this.timeouts and this.resent. When this.o.retries timeouts in
    //          a row have passed, give up instead: this.end(why), with a why
    //          that says so.
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
