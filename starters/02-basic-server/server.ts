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

// Node runs this handler once for every datagram that arrives: `msg` is the whole datagram,
// `rinfo` says who sent it.
socket.on('message', (msg, rinfo) => {
  console.log(`Received ${msg.length} bytes from ${rinfo.address}:${rinfo.port}`);

  // TODO: 1. Turn `msg` (a Buffer) into text. The bytes are UTF-8.
  // TODO: 2. Build the reply: "Echo: " followed by that text, as a Buffer.
  // TODO: 3. Send the reply back to whoever sent the datagram: `rinfo` holds their address
  //          and port. Use socket.send(reply, port, address, callback) and log an error in
  //          the callback if there is one.
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
