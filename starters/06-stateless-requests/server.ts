// Lab 06 · Stateless requests: the server.
//
// Every datagram gets exactly one reply, made by handleRequest
// (handle-request.ts, whose header gives the wire format byte by byte):
//
//   "TIME"        → "2026-12-02T05:30:00.123Z"  (now, in UTC)
//   "ECHO hi"     → "hi"
//   "#a1 TIME"    → "#a1 2026-12-02T05:30:00.123Z"
//   anything else → "Unknown command"
//
// The server keeps nothing from one request to the next: any copy of it,
// started at any time, answers a request the same way.
//
// Run it:   node --import tsx labs/06-stateless-requests/server.ts
//             --port 8080 --host 127.0.0.1 (the defaults)
// Poke it:  printf TIME | nc -u -w1 127.0.0.1 8080
//           npm start -- send 127.0.0.1:8080 "#a1 ECHO hi"
// Check it: npm start -- check 06

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import { handleRequest } from './handle-request.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const HOST = values.host;
const PORT = Number(values.port);
// bind() takes any number: NaN picks a random port, 70000 wraps round.
// Refuse what is not a port, in one line, before anything is bound.
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`--port takes 0 to 65535, not "${values.port}".`);
  process.exit(2);
}

const socket = dgram.createSocket(HOST.includes(':') ? 'udp6' : 'udp4');

socket.on('message', (msg, rinfo) => {
  // Everything the reply depends on is in this datagram: nothing is looked
  // up, and nothing is kept for later.
  const reply = handleRequest(msg);
  const peer = `${rinfo.address}:${rinfo.port}`;

  // The reply goes to the address and port in this datagram's rinfo, and
  // nowhere else: another client's request may arrive before this one is
  // answered, so "the client" is never kept in a variable. From this same
  // socket, so the reply comes from the address the client wrote to.
  // Once: an unknown command and an error are answers too.
  socket.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not answer ${peer}: ${err.message}`);
    else console.log(`${peer}: ${msg.length} B in, ${reply.length} B out`);
  });
});

// Before the socket is bound, an error means it cannot start (the port is
// taken): say so in one line and exit with code 1. Once bound, an error
// concerns one datagram, not the server: log it and keep serving.
let listening = false;
socket.on('error', (err: NodeJS.ErrnoException) => {
  if (listening) return console.error(`Socket error: ${err.message}`);
  const why = err.code === 'EADDRINUSE' ? 'is already in use' : err.message;
  console.error(`Cannot listen on ${HOST}:${PORT}: ${why}`);
  socket.close();
  process.exitCode = 1;
});

socket.on('listening', () => {
  listening = true;
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

// Ctrl+C (SIGINT) or kill (SIGTERM): close the socket, and the process
// ends by itself with exit code 0. A stateless server has nothing else to
// save: the next copy to start answers exactly as this one did.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing`);
    socket.close();
  });
}

socket.bind(PORT, HOST);
