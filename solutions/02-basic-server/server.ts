// Lab 02 · A basic UDP server: an echo server.
//
// Every datagram that arrives gets one reply, "Echo: <the text it carried>", sent back to the
// address and port it came from.
//
// Run it:   node --import tsx labs/02-basic-server/server.ts --port 8080
// Poke it:  echo -n hello | nc -u -w1 127.0.0.1 8080        prints: Echo: hello
// Check it: npm start -- check 02

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const HOST = values.host;
const PORT = Number(values.port);

// One socket serves every client: UDP has no per-client connection to accept.
const socket = dgram.createSocket(HOST.includes(':') ? 'udp6' : 'udp4');

// Python's `while True: data, addr = recvfrom(1024)` becomes an event handler: Node runs this
// function once for every datagram, with the whole datagram (not just its first 1024 bytes)
// and `rinfo`, the sender's address and port.
socket.on('message', (msg, rinfo) => {
  // The bytes become text, and the reply text becomes bytes again, both as UTF-8. An empty
  // datagram is a real datagram: it gets "Echo: " back.
  const text = msg.toString('utf8');
  console.log(`Received ${msg.length} bytes from ${rinfo.address}:${rinfo.port}: ${text}`);

  const reply = Buffer.from(`Echo: ${text}`, 'utf8');

  // The reply goes to the sender's address *and* port, from this same socket, so the client
  // sees it come from the address it wrote to. The callback is the only place where a send
  // error is reported; without it a failed send vanishes silently.
  socket.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not reply to ${rinfo.address}:${rinfo.port}: ${err.message}`);
  });
});

// Without an 'error' listener, an error (for example, the port is taken) ends the process
// with a stack trace. With one, we choose what happens.
socket.on('error', (err) => {
  console.error(`Socket error: ${err.message}`);
  socket.close();
  process.exitCode = 1;
});

// 'listening' fires once the socket is bound. socket.address() tells the real port, which
// matters with --port 0, where the operating system chooses a free one.
socket.on('listening', () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

socket.bind(PORT, HOST);
