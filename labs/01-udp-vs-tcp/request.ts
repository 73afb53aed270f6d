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
  // TODO: 1. Create a UDP socket: dgram.createSocket('udp4') ('udp6' for an
  //          IPv6 address such as ::1).
  // TODO: 2. Resolve with the first datagram that comes from `host` and
  //          `port`, and ignore datagrams from anyone else. The lesson shows
  //          two ways: compare rinfo in the 'message' handler, or connect the
  //          socket (socket.connect(port, host, callback)) so the kernel does.
  // TODO: 3. Send `payload` (a string as UTF-8). Pass a callback: a failed
  //          send is reported only there.
  // TODO: 4. If nothing arrives within `timeoutMs`, reject with a
  //          TimeoutError.
  // TODO: 5. On every way out (reply, timeout, error), clear the timer and
  //          close the socket, and listen for the socket's 'error' event so
  //          that it cannot crash the program.
  throw new Error(
    'request() is not written yet: fill in the TODOs in ' +
      'labs/01-udp-vs-tcp/request.ts',
  );
}
