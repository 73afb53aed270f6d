// Demo · lesson 04: what SO_REUSEADDR (Node's reuseAddr) does to a unicast
// server on Linux.
//
// Run:   node --import tsx lessons/04-robust-server/steal.ts --port 41234
//        (with the demo server running, for the last line)
// It prints:
//   two sockets bound 127.0.0.1:43567 with reuseAddr: no error
//   of 3 datagrams, the first socket got 0, the second 3
//   a reuseAddr socket on the demo server's port 41234: EADDRINUSE

import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { PORT } from './options.ts';

/** A socket with reuseAddr on 127.0.0.1:port, counting what it receives. */
async function listener(port: number) {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const counted = { socket, received: 0 };
  socket.on('message', () => counted.received++);
  socket.bind(port, '127.0.0.1');
  try {
    await once(socket, 'listening'); // rejects if 'error' comes first
  } catch (err) {
    socket.close();
    throw err;
  }
  return counted;
}

// #region steal
// 1. Two sockets on one port. Both ask for reuseAddr, so the second bind
//    succeeds: the "address already in use" that would warn you never comes.
const first = await listener(0);
const port = first.socket.address().port;
const second = await listener(port);
console.log(`two sockets bound 127.0.0.1:${port} with reuseAddr: no error`);

// 2. Linux gives unicast datagrams to the socket that bound last: the
//    second took all of the first one's traffic, and nobody was told.
const client = dgram.createSocket('udp4');
for (const text of ['one', 'two', 'three']) {
  await new Promise((sent) => client.send(text, port, '127.0.0.1', sent));
}
await sleep(200);
const counts = `the first socket got ${first.received}, the second`;
console.log(`of 3 datagrams, ${counts} ${second.received}`);
// #endregion steal

// #region refused
// 3. A socket without reuseAddr keeps its port to itself: no one can share
//    it, with or without the option. That is what a unicast server wants.
try {
  (await listener(PORT)).socket.close();
  console.log(`port ${PORT} was free: start the demo server first`);
} catch (err) {
  const { code } = err as NodeJS.ErrnoException;
  console.log(`a reuseAddr socket on the demo server's port ${PORT}:`, code);
}
// #endregion refused

for (const socket of [client, first.socket, second.socket]) socket.close();
