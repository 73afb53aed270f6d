// The socket the UDP client sends from: bound on loopback before anything is sent, so no reply can
// be missed, and connected to its one destination, so that the kernel's "port unreachable" arrives
// as ECONNREFUSED (FACTS 14). A broadcast is the exception: replies come from the servers' own
// addresses, which a socket connected to 127.255.255.255 would filter out, so it stays unconnected
// and cannot hear ECONNREFUSED.

import dgram from 'node:dgram';
import { LOOPBACK_BROADCAST, familyOf, normaliseAddress, type Endpoint } from '../udp/address.ts';

export interface Incoming {
  data: Buffer;
  from: Endpoint;
}

export class ClientSocket {
  readonly target: Endpoint;
  readonly connected: boolean;
  private readonly socket: dgram.Socket;
  private closing: Promise<void> | undefined;

  private constructor(socket: dgram.Socket, target: Endpoint, connected: boolean) {
    this.socket = socket;
    this.target = target;
    this.connected = connected;
    // Never without an 'error' listener (FACTS 8); listen() adds the one that reports.
    socket.on('error', () => {});
  }

  /** Opens the socket; `broadcast` sets SO_BROADCAST (after bind: before it throws EBADF, FACTS 1). */
  static async open(target: Endpoint, options: { broadcast?: boolean } = {}): Promise<ClientSocket> {
    const socket = dgram.createSocket(familyOf(target.address));
    const connect = target.address !== LOOPBACK_BROADCAST;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, familyOf(target.address) === 'udp6' ? '::1' : '127.0.0.1', () => {
          if (options.broadcast) socket.setBroadcast(true);
          if (!connect) return resolve();
          socket.connect(target.port, target.address, () => resolve());
        });
      });
    } catch (err) {
      socket.close();
      throw err;
    }
    socket.removeAllListeners('error');
    return new ClientSocket(socket, target, connect);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Every datagram that arrives, and every error (ECONNREFUSED among them); returns a function that stops listening. */
  listen(onMessage: (incoming: Incoming) => void, onError: (err: NodeJS.ErrnoException) => void): () => void {
    const message = (data: Buffer, rinfo: dgram.RemoteInfo) => onMessage({ data, from: { address: normaliseAddress(rinfo.address), port: rinfo.port } });
    this.socket.on('message', message);
    this.socket.on('error', onError);
    return () => {
      this.socket.off('message', message);
      this.socket.off('error', onError);
    };
  }

  /** Resolves when the kernel has taken the datagram (FACTS 15: not "delivered"); rejects with the send error. */
  send(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err: Error | null) => (err ? reject(err) : resolve());
      if (this.connected) this.socket.send(data, done);
      else this.socket.send(data, this.target.port, this.target.address, done);
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.socket.close(() => resolve());
    });
    return this.closing;
  }
}
