// Lab 09 · Reliability: a read-only TFTP server (RFC 1350 with options).
//
// Run it:   node --import tsx labs/09-reliability/server.ts --port 6969 \
//             --root labs/09-reliability
// Fetch:    curl -o - tftp://127.0.0.1:6969/server.ts
//           curl -o copy.ts --tftp-blksize 1024 tftp://127.0.0.1:6969/server.ts
// Check it: npm start -- check 09
//
// Options:  --port P (6969), --host H (127.0.0.1), --root DIR (this folder)
//           --timeout-ms T (1000): wait T ms for an ACK before sending again
//           --retries N (5): give a transfer up after N timeouts in a row
//
// The protocol (packets.ts has every packet byte by byte):
//   - A client sends an RRQ to port P. The server answers from a socket of
//     its own, bound to H and a port the system chooses: the transfer ID.
//     Every packet of the transfer comes from that port, and the client
//     sends its ACKs there. Twenty clients, twenty ports.
//   - The answer is an OACK when the RRQ has options the server accepts
//     (options.ts); the client ACKs block 0, then DATA 1 follows. Without
//     such options, DATA 1 comes at once. transfer.ts says the rest:
//     windows, ACKs, timeouts, retries, block numbers that wrap.
//   - A request that is refused gets one ERROR from port P itself:
//       1 file not found: no such file under the root, or not a file;
//       2 access violation: an absolute path, or one that leads out of
//         the root, by ".." or by a symbolic link (safe-path.ts);
//       4 illegal TFTP operation: a WRQ (this server is read-only), a mode
//         other than "octet" (any case), or a packet that is not a
//         well-formed request (an ACK sent to port P, say). An ERROR sent
//         to port P gets no answer at all.
//
// Where this server differs from the RFCs, and why: it refuses writes and
// netascii (RFC 1350 has both; a file server for learners needs neither);
// its timeout is fixed (the flag, or the client's "timeout" option), where
// RFC 1123 asks for one that adapts to the round-trip time; it sends the
// ERROR for a refused request from port P, where tftp-hpa sends it from a
// new port (RFC 1350 leaves it open); it reads each file into memory at
// the request.

import dgram from 'node:dgram';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { negotiate } from './options.ts';
import { ERR, OP, errorPacket, oackPacket, parseRequest } from './packets.ts';
import { resolveInRoot } from './safe-path.ts';
import { Transfer } from './transfer.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6969' },
    host: { type: 'string', default: '127.0.0.1' },
    root: {
      type: 'string',
      default: path.dirname(fileURLToPath(import.meta.url)),
    },
    'timeout-ms': { type: 'string', default: '1000' },
    retries: { type: 'string', default: '5' },
  },
});

/** A whole number from min to max, or one line on stderr and exit code 2. */
function whole(name: string, text: string, min: number, max: number) {
  const n = Number(text);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  console.error(`--${name} must be a whole number from ${min} to ${max}, ` +
    `not "${text}".`);
  process.exit(2);
}

const HOST = values.host;
const PORT = whole('port', values.port, 0, 65_535);
const TIMEOUT_MS = whole('timeout-ms', values['timeout-ms'], 1, 600_000);
const RETRIES = whole('retries', values.retries, 0, 100);
const ROOT = await realpath(values.root).catch(() => {
  console.error(`--root ${values.root} is not a folder that exists.`);
  process.exit(2);
});
const family = HOST.includes(':') ? 'udp6' : 'udp4';
const log = (line: string) => console.log(line);

const server = dgram.createSocket(family);

server.on('message', (msg, rinfo) => {
  answer(msg, rinfo).catch((err: unknown) => {
    log(`Could not answer ${rinfo.address}:${rinfo.port}: ${err}`);
    refuse(rinfo, ERR.NOT_DEFINED, 'internal error');
  });
});

/** One ERROR, from port P, for a request that is refused. */
function refuse(to: dgram.RemoteInfo, code: number, message: string) {
  log(`Refused ${to.address}:${to.port}: ERROR ${code} (${message})`);
  server.send(errorPacket(code, message), to.port, to.address, (err) => {
    if (err) log(`Could not send an ERROR: ${err.message}`);
  });
}

async function answer(msg: Buffer, rinfo: dgram.RemoteInfo) {
  const peer = `${rinfo.address}:${rinfo.port}`;
  const request = parseRequest(msg);
  if (typeof request === 'string') {
    // An ERROR sent to port P is the end of something: never answer it,
    // or two servers could send each other ERRORs for ever.
    if (msg.length >= 2 && msg.readUInt16BE(0) === OP.ERROR) return;
    return refuse(rinfo, ERR.ILLEGAL, `not a request: ${request}`);
  }
  const { filename, mode } = request;
  log(`${request.opcode === OP.RRQ ? 'RRQ' : 'WRQ'} "${filename}" ` +
    `(${mode}) from ${peer}`);
  if (request.opcode === OP.WRQ) {
    return refuse(rinfo, ERR.ILLEGAL, 'this server is read-only');
  }
  if (mode.toLowerCase() !== 'octet') {
    return refuse(rinfo, ERR.ILLEGAL, `mode "${mode}": only octet`);
  }
  const resolved = await resolveInRoot(ROOT, filename);
  if (!resolved.ok) return refuse(rinfo, resolved.code, resolved.message);
  // A file we may see but not read (no permission) is an access violation.
  const data = await readFile(resolved.file).catch(() => undefined);
  if (!data) return refuse(rinfo, ERR.ACCESS, 'the file cannot be read');
  const agreed = negotiate(request.options, data.length);

  // The transfer's own socket, on a port the system chooses: its TID.
  const socket = dgram.createSocket(family);
  const transfer = new Transfer({
    socket,
    peer: { address: rinfo.address, port: rinfo.port },
    name: `"${filename}" to ${peer}`,
    data,
    blksize: agreed.blksize,
    windowsize: agreed.windowsize,
    timeoutMs: agreed.timeoutMs ?? TIMEOUT_MS,
    retries: RETRIES,
    oack: agreed.accepted.size > 0 ? oackPacket(agreed.accepted) : undefined,
    log,
  });
  socket.bind(0, HOST, () => {
    log(`Sending "${filename}" to ${peer} from port ` +
      `${socket.address().port}: ${data.length} bytes, ` +
      `blksize ${agreed.blksize}, windowsize ${agreed.windowsize}`);
    transfer.start();
  });
}

// Before the socket is bound, an error means the server cannot start: one
// line and exit code 1. Later, it concerns one send: log it, carry on.
server.on('error', (err: NodeJS.ErrnoException) => {
  if (err.syscall !== 'bind') return log(`Socket error: ${err.message}`);
  console.error(err.code === 'EADDRINUSE'
    ? `Port ${PORT} on ${HOST} is already in use.`
    : `Cannot listen on ${HOST}:${PORT}: ${err.message}`);
  server.close();
  process.exitCode = 1;
});

server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
  console.log(`Serving ${ROOT}`);
});

server.bind(PORT, HOST);
