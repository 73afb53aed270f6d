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
  // TODO: 1. Create a UDP socket (dgram.createSocket('udp4')).
  // TODO: 2. Listen for 'message': resolve with the first datagram that comes from `host`
  //          and `port` — ignore datagrams from anyone else.
  // TODO: 3. Send `payload` to host:port. Pass a callback: a failed send is reported only there.
  // TODO: 4. If nothing arrives within `timeoutMs`, reject with a TimeoutError.
  // TODO: 5. On every way out (reply, timeout, error), clear the timer and close the socket,
  //          and handle the socket's 'error' event so that it cannot crash the program.
  throw new Error('request() is not written yet: fill in the TODOs in labs/01-udp-vs-tcp/request.ts');
}
