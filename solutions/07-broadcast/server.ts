// Lab 07 · Broadcast: a discovery server.
//
// Any number of servers share one discovery port. A client that wants to
// find them broadcasts a probe; every server hears it and answers, to that
// client alone, with its name and the port of the service it offers.
//
// The wire protocol, byte by byte (UDP over IPv4, discovery port P):
//
//   probe  client -> 127.255.255.255:P, the network's broadcast address
//          exactly 8 bytes: 44 49 53 43 4F 56 45 52 ("DISCOVER")
//
//   reply  server -> the probe's source address and port, by unicast, from
//          the server's socket on P; one reply per probe, sent after a
//          random delay of 20 to 120 ms, drawn afresh for every reply
//          "HERE" SP <name> SP <port>, nothing before or after:
//            48 45 52 45 20  <name>  20  <port>
//          <name>  1 to 63 bytes, each 21-7E (printable ASCII, no space)
//          <port>  the service port, 1-65535, in decimal ASCII digits,
//                  with no sign and no leading zero
//          "HERE alpha 7001" is 48 45 52 45 20 61 6C 70 68 61 20 37 30 30 31
//
//   Nothing else is ever answered: not a HERE (two servers must never
//   answer each other), not "discover", not an empty datagram, not
//   garbage. A server never sends to a broadcast address.
//
// The source document's server answers "Server response" to anything. This
// one keeps its socket options and its bind address, and puts the server's
// identity in the reply: every server on a machine answers from the same
// 127.0.0.1:P, so the address cannot tell them apart.
//
// Run it:   node --import tsx labs/07-broadcast/server.ts \
//             --name alpha --service-port 7001
//           and a second one in another terminal, --name bravo ...
// Poke it:  npm start -- send 127.255.255.255:8080 DISCOVER --broadcast
// Find all: node --import tsx labs/07-broadcast/find.ts --port 8080
// Check it: npm start -- check 07

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    // All of the machine's addresses, as the document's bind(('', port)):
    // a socket bound to 127.0.0.1 never receives a broadcast.
    host: { type: 'string', default: '0.0.0.0' },
    name: { type: 'string', default: `server-${process.pid}` },
    'service-port': { type: 'string', default: '8000' },
  },
});

/** A port option as an integer from `min` to 65535; else one line, exit 2. */
function portOption(option: string, text: string, min: number): number {
  const port = Number(text);
  if (/^\d+$/.test(text) && port >= min && port <= 65535) return port;
  console.error(`--${option} must be an integer from ${min} to 65535`);
  process.exit(2);
}

const PORT = portOption('port', values.port, 0);
const SERVICE_PORT = portOption('service-port', values['service-port'], 1);
const HOST = values.host;
const NAME = values.name;
if (!/^[!-~]{1,63}$/.test(NAME)) {
  console.error('--name must be 1 to 63 printable ASCII characters, no space');
  process.exit(2);
}

const PROBE = Buffer.from('DISCOVER', 'ascii');
const REPLY = Buffer.from(`HERE ${NAME} ${SERVICE_PORT}`, 'ascii');
// RFC 6762 (multicast DNS), section 6: when many responders answer one
// query, "each responder SHOULD delay its response by a random amount of
// time selected with uniform random distribution in the range 20-120 ms".
const MIN_DELAY_MS = 20;
const MAX_DELAY_MS = 120;

// reuseAddr (SO_REUSEADDR): every discovery server on this machine binds
// the same port, and each one gets its own copy of every broadcast. Lesson
// 04's unicast server must not set it; here, sharing is the point.
//
// No setBroadcast: SO_BROADCAST permits *sending* to a broadcast address
// and has nothing to do with receiving one (the document's comment says
// otherwise). This server never broadcasts, and without the option the
// kernel refuses if it ever tried (EACCES).
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });

// Replies waiting for their delay. Each timer outlives the datagram that
// started it, so a shutdown cancels them: one firing after close() would
// throw (ERR_SOCKET_DGRAM_NOT_RUNNING) and end the process with a stack.
const pending = new Set<NodeJS.Timeout>();

socket.on('message', (msg, rinfo) => {
  const from = `${rinfo.address}:${rinfo.port}`;
  // The exact 8 bytes, nothing else: a server that answered any datagram
  // would answer another server's HERE, and two of them would talk to
  // each other forever.
  if (!msg.equals(PROBE)) {
    console.log(`Ignored ${msg.length} bytes from ${from}: not a probe`);
    return;
  }
  // Every server hears the same probe at the same moment. Answering at
  // once, they would all reach the client together; a random delay each
  // spreads the replies out.
  const delay = MIN_DELAY_MS + Math.random() * (MAX_DELAY_MS - MIN_DELAY_MS);
  console.log(`Probe from ${from}: answering in ${Math.round(delay)} ms`);
  const timer = setTimeout(() => {
    pending.delete(timer);
    // By unicast, to the one who asked: rinfo, as in every lesson so far.
    socket.send(REPLY, rinfo.port, rinfo.address, (err) => {
      if (err) console.error(`Could not answer ${from}: ${err.message}`);
      else console.log(`Answered ${from}: HERE ${NAME} ${SERVICE_PORT}`);
    });
  }, delay);
  pending.add(timer);
});

// A failed bind means no server: one line and exit code 1. A port held by
// a socket that did not set reuseAddr cannot be shared, even by us.
socket.on('error', (err: NodeJS.ErrnoException) => {
  if (err.syscall !== 'bind') {
    console.error(`Socket error: ${err.message}`);
    return;
  }
  console.error(
    err.code === 'EADDRINUSE'
      ? `Port ${PORT} is taken by a socket that does not share it`
      : `Cannot bind ${HOST}:${PORT}: ${err.message}`,
  );
  socket.close();
  process.exitCode = 1;
});

socket.on('listening', () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
  console.log(`Announcing ${NAME}, service port ${SERVICE_PORT}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal} received, shutting down`);
    for (const timer of pending) clearTimeout(timer);
    socket.close();
  });
}

socket.bind(PORT, HOST);
