// Lab 10 · Cookies: proof that a client receives what is sent to its address.
//
// A cookie is an HMAC of the client's address, its port and the current time
// window, keyed with a secret only the server knows:
//
//   cookie = first 16 bytes of HMAC-SHA256(secret, "ADDRESS|PORT|WINDOW"),
//            written as 32 lowercase hex digits
//   WINDOW = floor(Date.now() / lifetimeMs)
//
// The server sends it to the address a request came from. Only a client that
// really receives datagrams there can send it back, and only from that address
// and port: the address is then validated. The server keeps nothing: it
// recomputes the HMAC when a cookie comes back (RFC 6347, §4.2.1: "The DTLS
// server SHOULD generate cookies in such a way that they can be verified
// without retaining any per-client state on the server.").
//
// A cookie is accepted in its own window and the next, so it lives between one
// and two lifetimes. The window comes from the wall clock, which every server
// shares: two servers started with the same secret and lifetime accept each
// other's cookies (as RFC 9018 asks of the servers of one anycast DNS name).

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CookieOptions {
  /** The key. Anyone who knows it can make cookies for any address. */
  secret: string;
  /** How long one time window lasts, in milliseconds. */
  lifetimeMs: number;
}

export interface Cookies {
  /** The cookie for this address and port, now. */
  issue(address: string, port: number, now?: number): string;
  /** Whether `token` is this address and port's cookie, now or a window ago. */
  check(token: string, address: string, port: number, now?: number): boolean;
}

export function createCookies({ secret, lifetimeMs }: CookieOptions): Cookies {
  const windowAt = (now: number) => Math.floor(now / lifetimeMs);

  // The separators matter: without them, address "127.0.0.1" with port 23
  // and address "127.0.0.12" with port 3 would be the same input.
  const mac = (address: string, port: number, window: number) =>
    createHmac('sha256', secret)
      .update(`${address}|${port}|${window}`)
      .digest('hex')
      .slice(0, 32);

  return {
    issue(address, port, now = Date.now()) {
      return mac(address, port, windowAt(now));
    },
    check(token, address, port, now = Date.now()) {
      const window = windowAt(now);
      return (
        same(token, mac(address, port, window)) ||
        same(token, mac(address, port, window - 1))
      );
    },
  };
}

// Compared in constant time, so that how long a refusal takes tells nothing
// about how many characters were right. timingSafeEqual throws a RangeError
// on inputs of different lengths: a token of another length, which anyone can
// send, must be a plain "no", not an exception.
function same(token: string, expected: string): boolean {
  const a = Buffer.from(token, 'latin1');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
