// Demo · lesson 01: a server that tells each sender who it is, to show what
// recvfrom returns.
//
// Run:   node --import tsx lessons/01-udp-vs-tcp/server.ts
//        (or: npm start -- demo 01)
// Poke:  echo -n hi | nc -u -w1 127.0.0.1 41234
//        prints: You sent 2 bytes from 127.0.0.1:50321
// Try your lab: request('127.0.0.1', 41234, 'hi') resolves with that line.

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
// 1. bind() takes any number: NaN or 70000 would bind some other port.
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error(`--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

const server = dgram.createSocket('udp4');

// 2. The data *and* the sender's address, as Python's recvfrom() returns.
server.on('message', (msg, rinfo) => {
  const from = `${rinfo.address}:${rinfo.port}`;
  const reply = `You sent ${msg.length} bytes from ${from}`;
  console.log(reply);
  // 3. Like sendto(): the destination is named on every send.
  server.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Reply failed: ${err.message}`);
  });
});

// 4. A port in use arrives here: say so, and exit with code 1.
server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
  process.exitCode = 1;
});

server.bind(PORT, values.host, () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});
