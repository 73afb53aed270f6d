// A correct request() in another style: an unconnected socket that filters the replies itself,
// comparing rinfo with the address the name resolves to for the socket's own family (FACTS 24),
// both sides without their ::ffff: prefix (FACTS 18).
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

const bare = (address: string) => address.replace(/^::ffff:/, '');

export async function request(host: string, port: number, payload: Buffer | string, { timeoutMs = 1000 } = {}): Promise<Buffer> {
  const family = isIP(host) === 6 ? 6 : 4;
  const { address } = await lookup(host, { family });
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return new Promise<Buffer>((resolve, reject) => {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    let settled = false;
    const finish = (error?: Error, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new TimeoutError(`No reply from ${address}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port === port && bare(rinfo.address) === bare(address)) finish(undefined, msg);
    });
    socket.on('error', (err) => finish(err));
    socket.send(data, port, address, (err) => {
      if (err) finish(err);
    });
  });
}
