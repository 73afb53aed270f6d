// A correct cookie.ts written differently: the cookie carries the time it
// expires, as RFC 9018's DNS server cookies carry a timestamp, so it lives
// exactly one lifetime instead of between one and two. Its HMAC covers the
// expiry too, so that nobody can extend it; SHA-512 instead of SHA-256,
// base64url instead of hex.
//
//   cookie = EXPIRY "." base64url(first 15 bytes of
//            HMAC-SHA512(secret, ADDRESS " " PORT " " EXPIRY))
//   EXPIRY = the time it expires, in milliseconds since 1970, in base 36

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CookieOptions {
  secret: string;
  lifetimeMs: number;
}

export interface Cookies {
  issue(address: string, port: number, now?: number): string;
  check(token: string, address: string, port: number, now?: number): boolean;
}

export function createCookies(options: CookieOptions): Cookies {
  const sign = (address: string, port: number, expiry: string) =>
    createHmac('sha512', options.secret)
      .update(`${address} ${port} ${expiry}`)
      .digest()
      .subarray(0, 15)
      .toString('base64url');

  return {
    issue(address, port, now = Date.now()) {
      const expiry = Math.floor(now + options.lifetimeMs).toString(36);
      return `${expiry}.${sign(address, port, expiry)}`;
    },
    check(token, address, port, now = Date.now()) {
      const dot = token.indexOf('.');
      if (dot < 1) return false;
      const expiry = token.slice(0, dot);
      if (!/^[0-9a-z]+$/.test(expiry) || parseInt(expiry, 36) <= now) {
        return false;
      }
      const given = Buffer.from(token.slice(dot + 1));
      const wanted = Buffer.from(sign(address, port, expiry));
      return given.length === wanted.length && timingSafeEqual(given, wanted);
    },
  };
}
