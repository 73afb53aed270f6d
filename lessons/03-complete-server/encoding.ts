// Demo · lesson 03: the decoding trap, and what the server answers.
//
// Run:   node --import tsx lessons/03-complete-server/encoding.ts --port 41234
//        (with the demo server running: npm start -- demo 03)
//
// It prints:
//   toString('utf8') of 68 69 ff:  "hi�"  (no error: the bad byte became U+FFFD)
//   TextDecoder, fatal: true:       TypeError ERR_ENCODING_INVALID_ENCODED_DATA
//   "straße" is 6 characters, 7 bytes; upper-cased, "STRASSE" is 7 characters, 7 bytes
//   "ﬁx" is 2 characters, 4 bytes; upper-cased, "FIX" is 3 characters, 3 bytes
//   sent 68 69 ff         → "Error: Invalid encoding"
//   sent "straße"         → "Response: STRASSE"

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '41234' }, host: { type: 'string', default: '127.0.0.1' } },
});
const PORT = Number(values.port);
const HOST = values.host;

// #region trap
// 1. "hi" followed by 0xff, a byte that never occurs in UTF-8.
const bad = Buffer.from([0x68, 0x69, 0xff]);

// toString never throws: a try/catch around it can never reach its catch.
console.log(`toString('utf8') of 68 69 ff:  ${JSON.stringify(bad.toString('utf8'))}  (no error: the bad byte became U+FFFD)`);

// A fatal TextDecoder throws, like Python's data.decode('utf-8').
try {
  new TextDecoder('utf-8', { fatal: true }).decode(bad);
} catch (err) {
  const e = err as Error & { code?: string };
  console.log(`TextDecoder, fatal: true:       ${e.name} ${e.code}`);
}
// #endregion trap

// #region upper
// 2. Upper-casing follows Unicode: lengths change, in characters and in bytes.
for (const word of ['straße', 'ﬁx']) {
  const upper = word.toUpperCase();
  const size = (s: string) => `${[...s].length} characters, ${Buffer.byteLength(s)} bytes`;
  console.log(`"${word}" is ${size(word)}; upper-cased, "${upper}" is ${size(upper)}`);
}
// #endregion upper

// 3. The same bytes, sent to the demo server: one request at a time, each with a time limit.
const client = dgram.createSocket('udp4');
client.on('error', (err) => console.error(`Client error: ${err.message}`));

function ask(label: string, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('message', onReply);
      console.log(`sent ${label.padEnd(16)} → no reply within 1 s: is the demo server running on ${HOST}:${PORT}?`);
      process.exitCode = 1;
      resolve();
    }, 1000);
    const onReply = (msg: Buffer) => {
      clearTimeout(timer);
      console.log(`sent ${label.padEnd(16)} → ${JSON.stringify(msg.toString('utf8'))}`);
      resolve();
    };
    client.once('message', onReply);
    client.send(payload, PORT, HOST, (err) => err && console.error(`Send failed: ${err.message}`));
  });
}

await ask('68 69 ff', bad);
await ask('"straße"', Buffer.from('straße', 'utf8'));
client.close();
