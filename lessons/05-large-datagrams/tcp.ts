// Demo · lesson 05: "Option 2: use TCP". The same 1 MiB, over a TCP
// connection on loopback: one write, and the kernel does the rest.
//
// Run:   node --import tsx lessons/05-large-datagrams/tcp.ts
//
// It prints something like:
//   1,048,576 B over TCP in 11.3 ms: DONE 1048576 4c6e0f2a…, the SHA-256
//   matches

import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';

const data = randomBytes(1 << 20);
const sha = (d: Buffer) => createHash('sha256').update(d).digest('hex');

// #region tcp
// The receiver: bytes arrive in order, in pieces of the kernel's choosing,
// until the sender ends its side. Nothing is lost, doubled or reordered.
const server = net.createServer((conn) => {
  const hash = createHash('sha256');
  let bytes = 0;
  conn.on('data', (piece: Buffer) => {
    hash.update(piece);
    bytes += piece.length;
  });
  conn.on('end', () => conn.end(`DONE ${bytes} ${hash.digest('hex')}`));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as net.AddressInfo;

// The sender: one write of the whole 1 MiB, and end().
const started = performance.now();
const client = net.connect(port, '127.0.0.1');
client.end(data);
let reply = '';
for await (const piece of client) reply += String(piece);
const ms = (performance.now() - started).toFixed(1);
// #endregion tcp

const ok = reply === `DONE ${data.length} ${sha(data)}`;
console.log(`${data.length.toLocaleString('en-US')} B over TCP in ${ms} ms:` +
  ` ${reply.slice(0, 25)}…${ok ? ', the SHA-256 matches' : ', WRONG'}`);
server.close();
