// Lab 01 · UDP vs TCP: one request, one reply.
//
// request(host, port, payload, { timeoutMs }) sends one datagram to host:port
// and resolves with the first datagram that comes back *from that address and
// port*, as a Buffer. Nothing in UDP promises an answer, so the wait is
// bounded: after timeoutMs it rejects with a TimeoutError.
//
// On the wire: the payload's bytes, exactly as given (a string as UTF-8), in
// one datagram to host:port; the reply is the next single datagram from there,
// whatever its bytes (zero of them included).
//
// Try it:   npm start -- demo 01     (a server that answers every datagram)
//           then, from a script:
//           console.log(String(await request('127.0.0.1', 41234, 'hi')))
// Check it: npm start -- check 01

import dgram from 'node:dgram';
import { isIP } from 'node:net';

export interface RequestOptions {
  /** How long to wait for the reply, in milliseconds (default 1000). */
  timeoutMs?: number;
}

/** The error `request` rejects with when no reply arrives in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export function request(
  host: string,
  port: number,
  payload: Buffer | string,
  { timeoutMs = 1000 }: RequestOptions = {},
): Promise<Buffer> {
  const data =
    typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;

  return new Promise<Buffer>((resolve, reject) => {
    // A socket looks a name up with its own family: a udp4 socket turns
    // "localhost" into 127.0.0.1, even where the system lists ::1 first. Only
    // an IPv6 address needs a udp6 socket.
    const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');

    // Every way out goes through here: the timer is cleared and the socket
    // closed exactly once.
    let settled = false;
    const finish = (error: Error | undefined, reply?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(reply!);
    };

    const timer = setTimeout(() => {
      const what = `No reply from ${host}:${port} within ${timeoutMs} ms`;
      finish(new TimeoutError(what));
    }, timeoutMs);

    // A connected socket hears only from the address and port it is connected
    // to: the kernel drops anyone else's datagrams, so every 'message' is the
    // reply.
    socket.on('message', (msg) => finish(undefined, msg));

    // A connected socket also hears the kernel's ICMP "port unreachable" as an
    // 'error' event (ECONNREFUSED). Without this listener, that event (or any
    // other) would end the whole program.
    socket.on('error', (err) => finish(err));

    // connect() looks the name up and fixes the destination; a failed lookup
    // arrives in its callback. Then send() needs no address, and its callback
    // is the only place a failed send (EMSGSIZE, say) is reported.
    socket.connect(port, host, (err?: Error) => {
      if (err) return finish(err);
      socket.send(data, (sendErr) => {
        if (sendErr) finish(sendErr);
      });
    });
  });
}
