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

// Python's `while True: data, addr = recvfrom(1024)` becomes an event
// handler: Node runs this function once for every datagram, with the whole
// datagram (not just its first 1024 bytes) and `rinfo`, the sender's address
// and port.
socket.on('message', (msg, rinfo) => {
  // The bytes become text, and the reply text becomes bytes again, both as
  // UTF-8. toString keeps everything, a leading byte-order mark included (a
  // `new TextDecoder()` would drop it). An empty datagram is a real datagram:
  // it gets "Echo: " back.
  const text = msg.toString('utf8');

  // The log shows the size and the start of the text, quoted: a datagram may
  // be 65,507 bytes long, or carry bytes that would garble a terminal.
  const start = JSON.stringify(text.slice(0, 40));
  const more = text.length > 40 ? '…' : '';
  const peer = `${rinfo.address}:${rinfo.port}`;
  console.log(`Received ${msg.length} bytes from ${peer}: ${start}${more}`);

  const reply = Buffer.from(`Echo: ${text}`, 'utf8');

  // The reply goes to the sender's address *and* port, from this same
  // socket, so the client sees it come from the address it wrote to. The
  // callback is where a failed send is reported; without it, it would vanish.
  socket.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not reply to ${peer}: ${err.message}`);
  });
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
