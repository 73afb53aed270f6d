// Demo · lesson 10: a quote server that is safe to expose, in one file.
//
// Run:   node --import tsx lessons/10-security/server.ts
//        (or: npm start -- demo 10)
// Poke:  npm start -- send 127.0.0.1:41234 hello          prints: ERR
//        npm start -- send 127.0.0.1:41234 QUOTE
//          nothing: "COOKIE <cookie>" would be larger than 5 bytes
//        node --import tsx lessons/10-security/client.ts
//          a padded QUOTE, its COOKIE, then the quotation, from one socket
// Then:  restart it with --unsafe (RFC 865's Quote of the Day: a quotation
//        for any datagram) and run amplification.ts again: its "after"
//        column now amplifies as much as "before".

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
    unsafe: { type: 'boolean', default: false },
  },
});
const PORT = Number(values.port);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`--port must be a whole number from 0 to 65535.`);
  process.exit(2);
}
const QUOTE = Buffer.from(
  'There is grandeur in this view of life, with its ' +
  'several powers, having been originally breathed into a few forms or ' +
  'into one. -- Charles Darwin, On the Origin of Species (1859)');

// #region cookie
// 1. A cookie: an HMAC of the address, the port and a 60 s window. Only the
//    server knows SECRET, so only the server can make one; only a client
//    that receives at that address can send it back.
const SECRET = randomBytes(32);
const cookie = (address: string, port: number, ago = 0) =>
  createHmac('sha256', SECRET)
    .update(`${address}|${port}|${Math.floor(Date.now() / 60_000) - ago}`)
    .digest('hex').slice(0, 32);
const valid = (token: Buffer, address: string, port: number) =>
  [0, 1].some((ago) => {
    const wanted = Buffer.from(cookie(address, port, ago));
    return token.length === wanted.length && timingSafeEqual(token, wanted);
  });
// #endregion cookie

// #region bucket
// 2. A token bucket per address: BURST at once, RATE a second after that.
//    The Map is kept in order of last use, and never holds more than MAX.
const RATE = 5, BURST = 10, MAX = 10_000;
const buckets = new Map<string, { tokens: number; at: number }>();
function allow(address: string, now = performance.now()): boolean {
  const b = buckets.get(address) ?? { tokens: BURST, at: now };
  buckets.delete(address); // re-inserted below: now the most recent
  buckets.set(address, b);
  if (buckets.size > MAX) buckets.delete(buckets.keys().next().value!);
  b.tokens = Math.min(BURST, b.tokens + ((now - b.at) / 1000) * RATE);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}
// #endregion bucket

const counts = { answered: 0, dropped: 0 };
const family = values.host.includes(':') ? 'udp6' : 'udp4';
const socket = dgram.createSocket(family);

// #region gate
socket.on('message', (msg, rinfo) => {
  const address = rinfo.address.replace(/^::ffff:(?=\d+\.)/, '');
  // 3. Size and rate first, before a single byte is parsed.
  if (msg.length > 512 || !allow(address)) {
    return void counts.dropped++;
  }
  const text = msg.toString('latin1').replace(/ +$/, '');
  const token = Buffer.from(text.slice(6), 'latin1');
  let reply: Buffer;
  if (values.unsafe || (text.startsWith('QUOTE ') &&
      valid(token, address, rinfo.port))) {
    reply = QUOTE; // the address is proven (or we do not care: --unsafe)
  } else {
    reply = Buffer.from(text === 'QUOTE' || text.startsWith('QUOTE ')
      ? `COOKIE ${cookie(address, rinfo.port)}` : 'ERR');
    // 4. Not proven: never more bytes out than came in.
    if (reply.length > msg.length) return void counts.dropped++;
  }
  counts.answered++;
  socket.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not answer ${address}: ${err.message}`);
  });
});
// #endregion gate

// 5. No line per request: one line a second at most, with the counts.
setInterval(() => {
  if (counts.answered + counts.dropped === 0) return;
  const { answered, dropped } = counts;
  console.log(`In 1 s: ${answered} answered, ${dropped} dropped`);
  counts.answered = counts.dropped = 0;
}, 1000).unref();

socket.on('listening', () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
  if (values.unsafe) console.log('Unsafe: a quotation for any datagram.');
});
socket.on('error', (err: NodeJS.ErrnoException) => {
  if (err.syscall !== 'bind') return console.error(`Error: ${err.message}`);
  console.error(err.code === 'EADDRINUSE'
    ? `Port ${PORT} is already in use.` : `Cannot bind: ${err.message}`);
  process.exitCode = 1;
  socket.close();
});
process.once('SIGINT', () => socket.close());
socket.bind(PORT, values.host);
