// A correct startServer in another style: a class with private fields, promise chains instead of
// async/await, events.once for the bind, and its own wording in the log.
import dgram from 'node:dgram';
import { once } from 'node:events';
import { createLogger, type Logger } from './logger.ts';

export type ProcessMessage = (data: Buffer) => Buffer | Promise<Buffer>;
export interface ServerOptions {
  host: string;
  port: number;
  processMessage: ProcessMessage;
  log?: Logger;
}
export interface UdpServer {
  readonly socket: dgram.Socket;
  close(): Promise<void>;
}

const FAILED = Buffer.from('Error processing request');

class RobustServer implements UdpServer {
  readonly socket: dgram.Socket;
  readonly #process: ProcessMessage;
  readonly #log: Logger;
  #closed: Promise<void> | undefined;

  constructor(type: 'udp4' | 'udp6', process: ProcessMessage, log: Logger) {
    this.socket = dgram.createSocket(type);
    this.#process = process;
    this.#log = log;
    this.socket.on('message', (msg, rinfo) => this.#answer(msg, rinfo));
  }

  async listen(port: number, host: string): Promise<void> {
    try {
      this.socket.bind(port, host);
      await once(this.socket, 'listening'); // rejects if 'error' comes first
    } catch (err) {
      this.socket.close();
      throw err;
    }
    this.socket.on('error', (err) => this.#log.error(`socket: ${err.message}`));
    const { address, port: bound } = this.socket.address();
    this.#log.info(`UDP server listening on ${address}:${bound}`);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise((resolve) => this.socket.close(resolve));
    return this.#closed;
  }

  #answer(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const who = `${rinfo.address} port ${rinfo.port}`;
    this.#log.info(`datagram of ${msg.length} bytes from ${who}`);
    Promise.resolve()
      .then(() => this.#process(msg)) // a throw inside then() becomes a rejection too
      .catch((err: unknown) => {
        this.#log.error(`request from ${who} failed: ${err instanceof Error ? err.message : String(err)}`);
        return FAILED;
      })
      .then((reply) => {
        if (this.#closed) return;
        this.socket.send(reply, rinfo.port, rinfo.address, (err) => {
          if (err) this.#log.error(`reply to ${who} lost: ${err.message}`);
          else this.#log.info(`replied to ${who} with ${reply.length} bytes`);
        });
      })
      .catch((err: unknown) => this.#log.error(`answering ${who}: ${String(err)}`));
  }
}

export async function startServer({ host, port, processMessage, log = createLogger() }: ServerOptions): Promise<UdpServer> {
  const server = new RobustServer(host.includes(':') ? 'udp6' : 'udp4', processMessage, log);
  await server.listen(port, host);
  return server;
}
