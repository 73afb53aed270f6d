// Lab 02 · A basic UDP server: an echo server.
//
// Every datagram that arrives gets one reply, sent back to the address and
// port it came from. On the wire, byte for byte: the reply is the 6 bytes of
// "Echo: " (45 63 68 6f 3a 20) followed by the request's bytes as UTF-8 text,
// nothing trimmed and nothing added: spaces, tabs, "\r\n", NUL and a leading
// byte-order mark come back as they came. An empty datagram gets "Echo: ".
//
// Run it:   node --import tsx labs/02-basic-server/server.ts --port 8080
// Poke it:  echo -n hello | nc -u -w1 127.0.0.1 8080     prints: Echo: hello
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
// bind() does not check its port: NaN or 70000 would bind some other one.
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error(`--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

// One socket serves every client: UDP has no per-client connection to
// accept. An IPv6 address such as ::1 needs a udp6 socket.
const socket = dgram.createSocket(HOST.includes(':') ? 'udp6' : 'udp4');

// Node runs this handler once for every datagram that arrives: `msg` is the
// whole datagram, `rinfo` says who sent it.
socket.on('message', (msg, rinfo) => {
  // The log shows the size and the start of the datagram, quoted: a datagram
  // may be 65,507 bytes long, or carry bytes that would garble a terminal.
  const start = JSON.stringify(msg.subarray(0, 40).toString('utf8'));
  const more = msg.length > 40 ? '…' : '';
  const peer = `${rinfo.address}:${rinfo.port}`;
  console.log(`Received ${msg.length} bytes from ${peer}: ${start}${more}`);

  // TODO: 1. Turn `msg` (a Buffer) into text. The bytes are UTF-8.
  // TODO: 2. Build the reply: "Echo: " followed by that text, exactly (no
  //          trim, nothing added), as a Buffer.
  // TODO: 3. Send the reply back to whoever sent the datagram: `rinfo` holds
  //          their address and port. Use socket.send(reply, port, address,
  //          callback) and log an error in the callback if there is one.
});

// Without an 'error' listener, an error (for example, the port is taken)
// ends the process with a stack trace. With one, we choose: one line, and
// exit code 1.
socket.on('error', (err) => {
  console.error(`Socket error: ${err.message}`);
  socket.close();
  process.exitCode = 1;
});

// 'listening' fires once the socket is bound. socket.address() tells the real
// port, which matters with --port 0, where the operating system chooses.
socket.on('listening', () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

socket.bind(PORT, HOST);
