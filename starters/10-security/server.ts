// Lab 10 · A quote service that cannot be turned into a weapon.
//
// The wire protocol, byte by byte. A request and a reply are each one UDP
// datagram of ASCII text, with no line ending.
//
//   request  = "QUOTE" [ " " token ] *" "   QUOTE is 51 55 4F 54 45; trailing
//                                           spaces (20) are padding
//   token    = 1 to 57 bytes, each 21-7E    (what COOKIE gave you)
//
// For each datagram from ADDRESS:PORT (ADDRESS without a "::ffff:" prefix),
// the server, in this order:
//   1. drops it unread if it is over 512 bytes;
//   2. drops it if ADDRESS has no token left in its bucket (--burst at most,
//      refilled at --rate a second; one bucket per address, whatever the port;
//      at most --max-sources addresses remembered, the least recently seen
//      forgotten first);
//   3. answers "QUOTE <token>" whose token is the cookie of ADDRESS:PORT with
//      a quotation: 200 to 511 bytes of ASCII, however short the request;
//   4. answers "QUOTE", or "QUOTE <token>" with any other token, with
//      "COOKIE <cookie>" (43 4F 4F 4B 49 45 20, then the cookie: at most 64
//      bytes in all);
//   5. answers anything else with "ERR" (45 52 52).
// A reply of 4 or 5 larger than its request is not sent: before the address
// is proven, nothing larger than the request goes out. So pad a QUOTE to 64
// bytes with spaces, and it always gets its cookie.
//
// A cookie is bound to ADDRESS and PORT and lasts at least --cookie-lifetime
// seconds and less than twice that; the same cookie may be used any number of
// times meanwhile. Servers started with the same --secret and
// --cookie-lifetime accept each other's cookies.
//
// Nothing is logged per request. At most once per --summary-interval, one
// WARN line counts what was dropped and what was malformed, with every byte
// from the network escaped.
//
// Where this differs from RFC 865 (Quote of the Day): QOTD answers any
// datagram at all with a quote, which CISA's alert TA14-017A lists among the
// protocols abused for amplification (140.3 times the request). This service
// answers only QUOTE, and only with a cookie until the address is proven.
//
// Run it:   node --import tsx labs/10-security/server.ts --port 8080
// Poke it:  node --import tsx lessons/10-security/client.ts --port 8080
//           (a QUOTE, a padded QUOTE, then its cookie, all from one socket)
// Check it: npm start -- check 10

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startQuoteServer } from './quote-server.ts';
import { createLogger } from './safe-log.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    secret: { type: 'string' },
    rate: { type: 'string', default: '5' },
    burst: { type: 'string', default: '10' },
    'max-sources': { type: 'string', default: '10000' },
    'cookie-lifetime': { type: 'string', default: '60' },
    'summary-interval': { type: 'string', default: '1' },
  },
});

/** One line on stderr, and exit code 2: a mistake in how it was started. */
function usage(message: string): never {
  console.error(message);
  process.exit(2);
}

/** A flag's number: above 0, at least `min`; otherwise usage(). */
function numberFlag(name: keyof typeof values, min = 0, integer = false) {
  const text = values[name] ?? '';
  const value = Number(text);
  const whole = !integer || Number.isInteger(value);
  if (value > 0 && value >= min && value < Infinity && whole) return value;
  const kind = integer ? 'a whole number' : 'a number';
  const range = min > 0 ? `of at least ${min}` : 'above 0';
  usage(`--${name} must be ${kind} ${range}, not "${text}".`);
}

const HOST = values.host;
const PORT = Number(values.port);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  usage(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
}
const options = {
  host: HOST,
  port: PORT,
  // Without --secret, a random one: cookies then die with the process, and
  // no other server accepts them.
  secret: values.secret ?? randomBytes(32).toString('hex'),
  rate: numberFlag('rate'),
  burst: numberFlag('burst', 1),
  maxSources: numberFlag('max-sources', 1, true),
  cookieLifetimeMs: 1000 * numberFlag('cookie-lifetime'),
  summaryIntervalMs: 1000 * numberFlag('summary-interval'),
};
const log = createLogger();

try {
  const server = await startQuoteServer({ ...options, log });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info(`${signal} received, shutting down`);
      void server.close();
    });
  }
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  log.warn(
    e.code === 'EADDRINUSE'
      ? `Port ${PORT} on ${HOST} is already in use: choose another with --port.`
      : `Could not start on ${HOST}:${PORT}: ${e.message}`,
  );
  process.exitCode = 1;
}
