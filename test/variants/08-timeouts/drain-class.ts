// A correct server.ts written quite differently from the solution: a class that keeps the
// promises of the requests in progress in a Set, drains by racing Promise.allSettled against the
// deadline, and counts the signals it has received. With it, commands.ts is a command table (the
// commands.ts of this folder).

import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleRequest } from './commands.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

class DrainingServer {
  private readonly socket: dgram.Socket;
  private readonly work = new Set<Promise<void>>();
  private readonly cancel = new AbortController();
  private readonly drainMs: number;
  private signals = 0;

  constructor(drainMs: number) {
    this.drainMs = drainMs;
    this.socket = dgram.createSocket('udp4');
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket.on('error', (err) => console.error(`error: ${err.message}`));
  }

  async listen(port: number, host: string): Promise<void> {
    this.socket.bind(port, host);
    await once(this.socket, 'listening');
    const { address, port: bound } = this.socket.address();
    console.log(`UDP server listening on ${address}:${bound}`);
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.signals > 0) return console.log(`dropped a request from ${rinfo.address}:${rinfo.port} (stopping)`);
    const job: Promise<void> = handleRequest(msg, this.cancel.signal)
      .then((reply) => new Promise<void>((done) => this.socket.send(reply, rinfo.port, rinfo.address, () => done())))
      .catch(() => {})
      .finally(() => this.work.delete(job));
    this.work.add(job);
  }

  async stop(signal: string): Promise<void> {
    this.signals++;
    if (this.signals > 1) {
      console.log(`${signal} #${this.signals}: exiting now with ${this.work.size} unfinished`);
      process.exit(130);
    }
    const pending = this.work.size;
    console.log(`${signal}: draining ${pending} request(s), ${this.drainMs} ms at most`);
    const timer = new AbortController();
    const drained = await Promise.race([
      Promise.allSettled([...this.work]).then(() => true),
      sleep(this.drainMs, false, { signal: timer.signal }),
    ]);
    timer.abort();
    if (!drained) {
      console.log(`gave up: ${this.work.size} request(s) unfinished after ${this.drainMs} ms`);
      this.cancel.abort();
      process.exitCode = 1;
    }
    this.socket.close();
  }
}

const port = Number(option('port', '8080'));
const drainMs = Number(option('drain-ms', '2000'));
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(drainMs) || drainMs < 0) {
  console.error('usage: server.ts [--port 0-65535] [--host H] [--drain-ms MS]');
  process.exit(2);
}
const server = new DrainingServer(drainMs);
try {
  await server.listen(port, option('host', '127.0.0.1'));
} catch (err) {
  console.error(`cannot listen: ${(err as Error).message}`);
  process.exit(1);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.stop(signal).catch(() => {}));
