// Lab 10 · The quote service: what happens to each datagram, in order.
//
//   startQuoteServer(options): Promise<QuoteServer>
//
// binds a UDP socket to options.host:options.port, logs "UDP server listening
// on HOST:PORT", and handles every datagram as the protocol in server.ts
// says. It rejects with the bind error if the socket cannot be bound.

import dgram from 'node:dgram';
import { createCookies } from './cookie.ts';
import { QUOTES } from './quotes.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createDropSummary, createLogger, type Logger } from './safe-log.ts';

export interface QuoteServerOptions {
  host: string;
  port: number;
  /** The cookies' key. */
  secret: string;
  /** Requests per second per address, and the most at once. */
  rate: number;
  burst: number;
  /** Most addresses whose buckets are remembered. */
  maxSources: number;
  cookieLifetimeMs: number;
  /** At most one line about drops per this many milliseconds. */
  summaryIntervalMs: number;
  log?: Logger;
}

export interface QuoteServer {
  readonly socket: dgram.Socket;
  close(): Promise<void>;
}

/** The largest request read; anything larger is dropped unread. */
export const MAX_REQUEST = 512;

const ERR = Buffer.from('ERR', 'latin1');
const QUOTE = 'QUOTE';

/**
 * The address as a key. A dual-stack socket (bound to "::") sees IPv4 clients
 * as "::ffff:127.0.0.1"; the same client is "127.0.0.1" to an IPv4 socket.
 * Cookies and buckets must not depend on which socket a client reached.
 */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.')
    ? address.slice(7)
    : address;
}

/** "QUOTE" → {}, "QUOTE <token>" → { token }; anything else: undefined. */
export function parseRequest(msg: Buffer): { token?: string } | undefined {
  // Trailing spaces are padding. latin1 maps each byte to one character, so
  // nothing is lost or replaced before we look at the bytes.
  const text = msg.toString('latin1').replace(/ +$/, '');
  if (text === QUOTE) return {};
  const token = text.slice(QUOTE.length + 1);
  if (text.startsWith(`${QUOTE} `) && /^[\x21-\x7e]+$/.test(token)) {
    return { token };
  }
  return undefined;
}

export function startQuoteServer(
  options: QuoteServerOptions,
): Promise<QuoteServer> {
  const { host, port, log = createLogger() } = options;
  const cookies = createCookies({
    secret: options.secret,
    lifetimeMs: options.cookieLifetimeMs,
  });
  const limiter = createRateLimiter(options);
  const summary = createDropSummary(options.summaryIntervalMs, log);
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  let next = 0;

  socket.on('message', (msg, rinfo) => {
    const source = normaliseAddress(rinfo.address);
    const from = `${source}:${rinfo.port}`;

    // 1. The length first: a datagram too large for the protocol is not
    //    worth a lookup, a token or a parse.
    if (msg.length > MAX_REQUEST) return summary.dropped('large', from);

    // 2. The rate, per address. The excess gets silence: an answer, even a
    //    short one, would still be traffic aimed at whoever owns the address.
    if (!limiter.allow(source, performance.now())) {
      return summary.dropped('rate', source);
    }

    const request = parseRequest(msg);
    if (!request) {
      summary.malformed(from, msg);
      return reply(ERR, false);
    }

    // 3. A valid cookie proves the address: now a large answer is safe.
    if (request.token && cookies.check(request.token, source, rinfo.port)) {
      const quote = QUOTES[next++ % QUOTES.length]!;
      return reply(Buffer.from(quote, 'latin1'), true);
    }

    // 4. No cookie, or one that is not this address's and port's now: the
    //    same answer either way, a fresh cookie (DTLS does the same, RFC 6347
    //    §4.2.1).
    const cookie = cookies.issue(source, rinfo.port);
    reply(Buffer.from(`COOKIE ${cookie}`, 'latin1'), false);

    // The rule that makes the service harmless: until the address is proven,
    // nothing goes out that is larger than what came in. An attacker who
    // forges a victim's address gets at most one byte at the victim for each
    // byte it sends: no amplification, so no reason to use this server.
    function reply(data: Buffer, validated: boolean) {
      if (!validated && data.length > msg.length) {
        return summary.dropped('short', from);
      }
      // The reply goes to rinfo.address as it came: a udp6 socket cannot
      // send to "127.0.0.1" (EINVAL), only to "::ffff:127.0.0.1".
      socket.send(data, rinfo.port, rinfo.address, (err) => {
        // Counted too, not logged one by one: a flood can make sends fail.
        if (err) summary.dropped('unsent', `${from}, ${err.message}`);
      });
    }
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      summary.close();
      socket.close(() => resolve());
    }));

  return new Promise((resolve, reject) => {
    const cannotStart = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', cannotStart);
    socket.bind(port, host, () => {
      socket.off('error', cannotStart);
      socket.on('error', (err) => log.warn(`Socket error: ${err.message}`));
      const bound = socket.address();
      log.info(`UDP server listening on ${bound.address}:${bound.port}`);
      resolve({ socket, close });
    });
  });
}
