// A test client socket: bound on loopback before anything is sent, so no reply can be missed;
// every datagram it receives is queued with its sender; every send has a callback (FACTS 2).

import dgram from 'node:dgram';
import { track, type Scope } from './cleanup.ts';
import { formatEndpoint, normaliseAddress, sameEndpoint, type Endpoint } from '../udp/address.ts';
import { CheckFailure } from './failure.ts';
import { describePayload } from './payload.ts';

export interface Datagram {
  data: Buffer;
  address: string;
  port: number;
  /** Milliseconds since the client opened (performance.now based). */
  at: number;
}

export class UdpClient {
  readonly socket: dgram.Socket;
  readonly inbox: Datagram[] = [];
  readonly close: () => Promise<void>;
  private waiters = new Set<() => void>();
  private closed = false;
  private socketError: Error | undefined;

  private constructor(socket: dgram.Socket, scope: Scope | undefined) {
    this.socket = socket;
    socket.on('message', (data, rinfo) => {
      this.inbox.push({ data, address: normaliseAddress(rinfo.address), port: rinfo.port, at: performance.now() });
      for (const wake of this.waiters) wake();
    });
    // Without a listener an 'error' event would crash the test process (FACTS 8).
    socket.on('error', (err) => {
      this.socketError = err;
      for (const wake of this.waiters) wake();
    });
    this.close = track(
      () => new Promise<void>((resolve) => {
        // A wait on a closed client ends now, not when its timer would have fired.
        this.closed = true;
        for (const wake of this.waiters) wake();
        try {
          socket.close(() => resolve());
        } catch {
          resolve(); // already closed
        }
      }),
      scope,
    );
  }

  /** Opens a client bound to `address` (127.0.0.1 by default) on a port the OS chooses; closed after the check ('test', unless inScope says otherwise) or the file ('file'). */
  static open(address = '127.0.0.1', scope?: Scope): Promise<UdpClient> {
    return UdpClient.openAt(address, 0, scope);
  }

  /** Opens a socket bound to a given address and port (for checks that play a second server). */
  static openAt(address: string, port: number, scope?: Scope): Promise<UdpClient> {
    const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const client = new UdpClient(socket, scope);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve(client);
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  get address(): string {
    return normaliseAddress(this.socket.address().address);
  }

  get endpoint(): string {
    return formatEndpoint(this.address, this.port);
  }

  /** Sends one datagram; resolves when the kernel has taken it (FACTS 15: not "delivered"). */
  send(payload: Buffer | string, to: Endpoint): Promise<void> {
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    return new Promise((resolve, reject) => {
      this.socket.send(data, to.port, to.address, (err) => {
        if (!err) return resolve();
        reject(
          new CheckFailure({
            summary: `The checker could not send ${describePayload(data)} to ${formatEndpoint(to.address, to.port)}: ${err.message}.`,
          }),
        );
      });
    });
  }

  /**
   * The next datagram not yet taken (optionally only from `from`), or undefined after `timeoutMs`.
   * Datagrams from other senders stay in the inbox.
   */
  async receive(timeoutMs: number, from?: Endpoint): Promise<Datagram | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((d) => !from || sameEndpoint(d, from));
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      const left = deadline - performance.now();
      if (left <= 0 || this.closed) return undefined;
      await this.wake(left);
    }
  }

  /** Waits until `count` datagrams are in the inbox or `timeoutMs` passes; returns and empties the inbox. */
  async collect(count: number, timeoutMs: number): Promise<Datagram[]> {
    const deadline = performance.now() + timeoutMs;
    while (this.inbox.length < count) {
      const left = deadline - performance.now();
      if (left <= 0 || this.closed) break;
      await this.wake(left);
    }
    return this.inbox.splice(0, this.inbox.length);
  }

  /** The error the socket reported, if any (e.g. ECONNREFUSED on a connected socket). */
  get error(): Error | undefined {
    return this.socketError;
  }

  private wake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      // A timer that fires late, on a busy machine, runs before the datagrams already waiting in
      // the socket are read: they are read first (setImmediate runs after the poll phase).
      const timer = setTimeout(() => setImmediate(done), ms);
      this.waiters.add(done);
    });
  }
}
