// Demo · lesson 01: a server that tells each sender who it is, to show what
// recvfrom returns.
//
// Run:   node --import tsx lessons/01-udp-vs-tcp/server.ts
//        (or: npm start -- demo 01)
// Poke:  echo -n hi | nc -u -w1 127.0.0.1 41234
//        prints: You sent 2 bytes from 127.0.0.1:50321
//
// Use it to try your lab: request('127.0.0.1', 41234, 'hi') resolves with
// that line.

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const server = dgram.createSocket('udp4');

// The data *and* the sender's address: Python's recvfrom() returns both;
// Node passes both.
server.on('message', (msg, rinfo) => {
  const from = `${rinfo.address}:${rinfo.port}`;
  const reply = `You sent ${msg.length} bytes from ${from}`;
  console.log(reply);
  // Like sendto(): the destination is named on every send.
  server.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Reply failed: ${err.message}`);
  });
});

server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
});

server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

server.bind(Number(values.port), values.host);
