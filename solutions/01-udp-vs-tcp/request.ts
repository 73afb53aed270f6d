// Lab 01 · UDP vs TCP: one request, one reply.
//
// request(host, port, payload, { timeoutMs }) sends one datagram to host:port and resolves with
// the first reply that comes back *from that address and port*, as a Buffer. UDP never says
// "nobody is there", so the wait is bounded: after timeoutMs it rejects with a TimeoutError.
//
// Try it:   npm start -- demo 01            (starts a server that answers every datagram)
//           then, in a script: console.log(String(await request('127.0.0.1', PORT, 'hi')))
// Check it: npm start -- check 01

import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface RequestOptions {
  /** How long to wait for the reply, in milliseconds (default 1000). */
  timeoutMs?: number;
}

/** The error `request` rejects with when no reply arrives in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export async function request(
  host: string,
  port: number,
  payload: Buffer | string,
  { timeoutMs = 1000 }: RequestOptions = {},
): Promise<Buffer> {
  // rinfo.address is always a numeric address, so a name such as "localhost" is looked up first:
  // otherwise the reply from 127.0.0.1 would not match "localhost" and would be ignored.
  const address = isIP(host) ? host : (await lookup(host)).address;
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;

  return new Promise<Buffer>((resolve, reject) => {
    const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');

    // Every way out goes through here: the timer is cleared and the socket closed exactly once.
    let settled = false;
    const finish = (error: Error | undefined, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(reply!);
    };

    const timer = setTimeout(
      () => finish(new TimeoutError(`No reply from ${address}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );

    // Anyone can send to our port. Only a datagram from the address *and* port we asked is the
    // reply; anything else is ignored. (A connected socket, socket.connect(port, host), makes the
    // kernel do this filter, and then reports an ICMP "port unreachable" as an 'error' event.)
    socket.on('message', (msg, rinfo) => {
      const from = rinfo.address.replace(/^::ffff:/, '');
      if (rinfo.port === port && from === address) finish(undefined, msg);
    });

    // Without this listener an error event would crash the whole program.
    socket.on('error', (err) => finish(err));

    // The send callback reports errors such as EMSGSIZE (payload too large) — only there.
    socket.send(data, port, address, (err) => {
      if (err) finish(err);
    });
  });
}
