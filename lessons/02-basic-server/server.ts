// Demo · lesson 02: the source document's basic server, in Node.
//
// Run:   node --import tsx lessons/02-basic-server/server.ts [--host ::1]
//        (or: npm start -- demo 02)
// Poke:  echo -n hello | nc -u -w1 127.0.0.1 41234     prints: Echo: hello
// It logs: Received from 127.0.0.1:50123: 5 bytes, "hello"

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error(`--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

// #region socket
// 1. One socket for every client: no listen(), no accept(). An IPv6
//    address such as ::1 needs a udp6 socket.
const type = values.host.includes(':') ? 'udp6' : 'udp4';
const server = dgram.createSocket(type);

// 2. Instead of `while True: recvfrom(...)`, Node calls this once per
//    datagram: `msg` is the whole datagram, `rinfo` who sent it.
server.on('message', (msg, rinfo) => {
  const text = msg.toString('utf8');
  const from = `${rinfo.address}:${rinfo.port}`;
  // The size and the start of the text, quoted: never raw bytes.
  const start = JSON.stringify(text.slice(0, 40));
  console.log(`Received from ${from}: ${msg.length} bytes, ${start}`);
  // 3. Like sendto(): every reply names the sender's address and port.
  server.send(`Echo: ${text}`, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Reply to ${from} failed: ${err.message}`);
  });
});
// #endregion socket

// #region bind
// 4. A port in use arrives as an event: one line, and exit code 1.
server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
  process.exitCode = 1;
});

// 5. bind() returns at once; 'listening' says when the socket is bound.
server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

server.bind(PORT, values.host);
// #endregion bind
