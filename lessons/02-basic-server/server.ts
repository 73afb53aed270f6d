// Demo · lesson 02: the source document's basic server, in Node.
//
// Run:   node --import tsx lessons/02-basic-server/server.ts
//        (or: npm start -- demo 02)
// Poke:  echo -n hello | nc -u -w1 127.0.0.1 41234
//        prints: Echo: hello
//
// It prints:
//   UDP server listening on 127.0.0.1:41234
//   Received from 127.0.0.1:50123: hello

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

// #region socket
// 1. One socket for every client: no listen(), no accept(), no connection
//    per client.
const server = dgram.createSocket('udp4');

// 2. Instead of `while True: recvfrom(...)`, Node calls this once per
//    datagram. `msg` is the whole datagram; `rinfo` is who sent it:
//    { address, port, family, size }.
server.on('message', (msg, rinfo) => {
  const text = msg.toString('utf8');
  const from = `${rinfo.address}:${rinfo.port}`;
  console.log(`Received from ${from}: ${text}`);

  // 3. Like sendto(): every reply names its destination, the sender's
  //    address and port.
  const reply = Buffer.from(`Echo: ${text}`, 'utf8');
  server.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Reply to ${from} failed: ${err.message}`);
  });
});
// #endregion socket

// #region bind
// 4. Errors arrive as events. Without this listener, one would end the
//    process.
server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
});

// 5. bind() returns at once; 'listening' says when the socket is really
//    bound.
server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

server.bind(Number(values.port), values.host);
// #endregion bind
