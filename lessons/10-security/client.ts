// Demo · lesson 10: a client that proves its address, then gets its quote.
//
// Run:   node --import tsx lessons/10-security/client.ts --port 41234
//        with the demo server running (npm start -- demo 10)
//
// The cookie is bound to this socket's address and port, so everything goes
// through one socket. (Two runs of `npm start -- send` use two ports: the
// second one's cookie would be refused.)

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const PORT = Number(values.port ?? 41234);
const socket = dgram.createSocket('udp4');
await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));

// 1. Send, and wait up to a second for the reply.
function ask(text: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 1000);
    socket.once('message', (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.send(text, PORT, '127.0.0.1', (err) => err && resolve(undefined));
    console.log(`→ ${JSON.stringify(text.trimEnd())} (${text.length} B)`);
  });
}
function show(reply: Buffer | undefined): void {
  if (!reply) return console.log('← nothing');
  const more = reply.length > 60 ? '…' : '';
  console.log(`← ${reply.length} B: ${reply.subarray(0, 60)}${more}`);
}

// 2. Unproven and unpadded: the cookie would not fit, so nothing comes.
show(await ask('QUOTE'));
// 3. Padded to 64 bytes: room for the cookie.
const reply = await ask('QUOTE'.padEnd(64));
show(reply);
// 4. The cookie back, from the same address and port: the quotation.
const cookie = reply?.toString().replace(/^COOKIE /, '') ?? '';
show(await ask(`QUOTE ${cookie}`));
socket.close();
// It prints:
//   → "QUOTE" (5 B)
//   ← nothing
//   → "QUOTE" (64 B)
//   ← 39 B: COOKIE 07fb76194cde62428630ff0385e7ff12
//   → "QUOTE 07fb76194cde62428630ff0385e7ff12" (38 B)
//   ← 177 B: There is grandeur in this view of life, with its several p…
