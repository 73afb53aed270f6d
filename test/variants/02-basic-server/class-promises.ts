// A correct echo server in another style: a class, a bind callback, a promisified send.
import * as dgram from 'node:dgram';
import { promisify } from 'node:util';

class EchoServer {
  private readonly socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  private readonly sendAsync = promisify(this.socket.send.bind(this.socket)) as (msg: Buffer, port: number, address: string) => Promise<number>;

  start(port: number, host: string): void {
    this.socket.on('message', (msg, rinfo) => void this.handle(msg, rinfo));
    this.socket.on('error', (err) => process.stderr.write(`error: ${err.message}\n`));
    this.socket.bind({ port, address: host }, () => {
      const bound = this.socket.address();
      process.stdout.write(`[echo] ready\nUDP server listening on ${bound.address}:${bound.port}\n`);
    });
  }

  private async handle(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    const reply = Buffer.from('Echo: ' + new TextDecoder('utf-8', { ignoreBOM: true }).decode(msg));
    try {
      await this.sendAsync(reply, rinfo.port, rinfo.address);
    } catch (err) {
      process.stderr.write(`send failed: ${(err as Error).message}\n`);
    }
  }
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback;
};
new EchoServer().start(Number(arg('port', '8080')), arg('host', '127.0.0.1'));
