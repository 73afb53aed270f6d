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
  // TODO: 8. Strip the "::ffff:" of an IPv4 address seen by a dual-stack
  //          socket ("::ffff:127.0.0.1" → "127.0.0.1"); leave other
  //          addresses (::1, 127.0.0.1) as they are.
  return address;
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

    // As lesson 04 did: a line for every datagram, with what it carried.
    // TODO: 9. Remove this line. Here the network would decide how much you
    //          write, and what: escape sequences reach the terminal of whoever
    //          reads the log. The summary counts what matters instead.
    log.info(`Received ${msg.length} bytes from ${from}: ${msg}`);

    // TODO: 10. First the length: drop a datagram over MAX_REQUEST bytes
    //           before anything else (summary.dropped('large', from)).
    // TODO: 11. Then the rate, per address: when limiter.allow(source,
    //           performance.now()) says no, drop the datagram, without a
    //           reply (summary.dropped('rate', source)).

    const request = parseRequest(msg);
    if (!request) {
      summary.malformed(from, msg);
      return reply(ERR, false);
    }

    // TODO: 12. This is RFC 865's Quote of the Day: a quotation of 226 to
    //           375 bytes for the 5 bytes of "QUOTE", sent to whatever source
    //           address the request claims. Send a quotation only when
    //           request.token is this address and port's cookie
    //           (cookies.check(token, source, rinfo.port)); answer anything
    //           else with "COOKIE " + cookies.issue(source, rinfo.port),
    //           unvalidated.
    const quote = QUOTES[next++ % QUOTES.length]!;
    return reply(Buffer.from(quote, 'latin1'), true);

    function reply(data: Buffer, validated: boolean) {
      // TODO: 13. The rule that makes the service harmless: until the address
      //           is proven, nothing larger than the request goes out. If
      //           !validated and data is longer than msg, send nothing and
      //           count it: summary.dropped('short', from).
      socket.send(data, rinfo.port, rinfo.address, (err) => {
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
