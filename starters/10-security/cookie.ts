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

  // TODO: 1. This "cookie" is no secret: anyone can compute it for any
  //          address. Make it the first 32 hex digits of
  //          createHmac('sha256', secret)
  //            .update(`${address}|${port}|${window}`).digest('hex').
  const mac = (address: string, port: number, window: number) =>
    `${address}-${port}-${window}`;

  return {
    issue(address, port, now = Date.now()) {
      return mac(address, port, windowAt(now));
    },
    check(token, address, port, now = Date.now()) {
      // TODO: 2. Accept the cookie of this window and of the one before, so
      //          that a cookie given just before a window ends still works.
      //          Compare with same() below, in constant time.
      return token === mac(address, port, windowAt(now));
    },
  };
}

// Compared in constant time, so that how long a refusal takes tells nothing
// about how many characters were right.
function same(token: string, expected: string): boolean {
  // TODO: 3. timingSafeEqual throws a RangeError on inputs of different
  //          lengths, and anyone can send a token of any length: return false
  //          when the lengths differ, before calling it.
  return timingSafeEqual(
    Buffer.from(token, 'latin1'),
    Buffer.from(expected, 'latin1'),
  );
}
