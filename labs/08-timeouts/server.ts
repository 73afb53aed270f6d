// Lab 08 · Timeouts: a server that finishes its work before it stops.
//
// It answers lesson 06's commands and SLOW (the protocol is in
// commands.ts), and stops the way a service should:
//
//   - on SIGTERM (kill, systemd, docker stop) or SIGINT (Ctrl+C), it stops
//     taking requests: any datagram that arrives from then on gets no
//     reply. It finishes the requests in progress (a SLOW that has not
//     answered yet), sends their replies, closes its socket and exits
//     with code 0;
//   - if they are not all done --drain-ms milliseconds (2000) after the
//     signal, it gives up on the rest, says on stderr how many it
//     abandoned, and exits with code 1;
//   - a second SIGINT or SIGTERM ends it at once, with code 130 (SIGINT)
//     or 143 (SIGTERM): whoever presses Ctrl+C twice does not want to wait.
//
// Run it:   node --import tsx labs/08-timeouts/server.ts --port 8080
// Poke it:  npm start -- send 127.0.0.1:8080 "SLOW 3000 hi" --timeout 4000
//           then press Ctrl+C in the server's terminal before the reply:
//           it drains, the reply comes, and it exits with 0.
// Check it: npm start -- check 08

import dgram from 'node:dgram';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { handleRequest } from './commands.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'drain-ms': { type: 'string', default: '2000' },
  },
});
const HOST = values.host;
const PORT = Number(values.port);
const DRAIN_MS = Number(values['drain-ms']);
// bind() accepts NaN or 70000 without a word, and setTimeout(NaN) fires at
// once: check what the user typed before anything depends on it.
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`--port must be a whole number from 0 to 65535`);
  process.exit(2);
}
if (!Number.isInteger(DRAIN_MS) || DRAIN_MS < 0) {
  console.error(`--drain-ms must be a whole number of milliseconds`);
  process.exit(2);
}

const socket = dgram.createSocket(HOST.includes(':') ? 'udp6' : 'udp4');
// Aborted when the server gives up on its requests in progress: each SLOW
// still waiting then ends, without a reply.
const giveUp = new AbortController();
let inProgress = 0;
// Set once a signal has come: from then on, no new requests.
let stopping = false;
let closed = false;
let drainDeadline: NodeJS.Timeout | undefined;

const plural = (n: number) => `${n} request${n === 1 ? '' : 's'}`;

/** Closes the socket once; the process then ends by itself. */
function close(exitCode: number): void {
  if (closed) return;
  closed = true;
  clearTimeout(drainDeadline);
  process.exitCode = exitCode;
  socket.close(() => console.log('Server closed'));
}

async function answer(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
  const peer = `${rinfo.address}:${rinfo.port}`;
  inProgress++;
  try {
    const reply = await handleRequest(msg, giveUp.signal);
    if (closed) return;
    // Counted as in progress until the send callback: closing the socket
    // before it runs could lose the reply.
    await new Promise<void>((done) => {
      socket.send(reply, rinfo.port, rinfo.address, (err) => {
        if (err) console.error(`Could not reply to ${peer}: ${err.message}`);
        else console.log(`Sent ${reply.length} bytes to ${peer}`);
        done();
      });
    });
  } catch (err) {
    // An AbortError means the server gave up on this one: no reply.
    if ((err as Error).name !== 'AbortError') {
      console.error(`Could not answer ${peer}: ${(err as Error).message}`);
    }
  } finally {
    inProgress--;
    // The last request in progress is done: nothing is left to wait for.
    if (stopping && inProgress === 0) close(0);
  }
}

socket.on('message', (msg, rinfo) => {
  const peer = `${rinfo.address}:${rinfo.port}`;
  // TODO: 1. Once stopping, take no new request: log that it was ignored,
  //          and return without answering.
  console.log(`Received ${msg.length} bytes from ${peer}`);
  void answer(msg, rinfo);
});

function shutdown(signal: NodeJS.Signals): void {
  // TODO: 2. A second signal, while stopping, ends the server at once:
  //          say how many requests it abandons (on stderr), then
  //          process.exit(128 + constants.signals[signal]): 130 for SIGINT.
  stopping = true;
  console.log(`${signal} received: shutting down`);
  // TODO: 3. Drain, instead of closing at once and losing the requests in
  //          progress. If there are none, close(0) now. Otherwise answer()
  //          calls close(0) when the last one is done; and in case they
  //          take too long, start drainDeadline, a timer of DRAIN_MS that
  //          says on stderr how many it abandons, calls giveUp.abort() and
  //          close(1).
  close(0);
}

socket.on('error', (err: NodeJS.ErrnoException) => {
  if (err.syscall !== 'bind') {
    console.error(`Socket error: ${err.message}`);
    return;
  }
  console.error(err.code === 'EADDRINUSE'
    ? `Port ${PORT} on ${HOST} is already in use`
    : `Cannot bind ${HOST}:${PORT}: ${err.message}`);
  process.exitCode = 1;
  socket.close();
});

socket.bind(PORT, HOST, () => {
  // The handlers go in once the server is running: a signal before that
  // ends the process at once, which is right for a server with no work.
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});
