// Demo · lesson 04: what SO_REUSEADDR (Node's reuseAddr) does to a unicast server on Linux.
//
// Run:   node --import tsx lessons/04-robust-server/steal.ts --port 41234
//        (with the demo server running, npm start -- demo 04, for the last line)
//
// It prints:
//   first server  bound 127.0.0.1:43567 with reuseAddr: true
//   second server bound 127.0.0.1:43567 with reuseAddr: true: no error
//   a client sent 3 datagrams to 127.0.0.1:43567
//   first server  received 0 of them
//   second server received 3 of them
//   a reuseAddr socket on the demo server's port 41234: EADDRINUSE (the demo server did not set reuseAddr)

import dgram from 'node:dgram';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '41234' }, host: { type: 'string', default: '127.0.0.1' } },
});
const HOST = '127.0.0.1';

/** A socket with reuseAddr, bound to `port` (0: any free one), counting what it receives. */
async function server(port: number): Promise<{ socket: dgram.Socket; received: () => number }> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  let count = 0;
  socket.on('message', () => count++);
  socket.bind(port, HOST);
  try {
    await Promise.race([once(socket, 'listening'), once(socket, 'error').then(([err]) => Promise.reject(err))]);
  } catch (err) {
    socket.close();
    throw err;
  }
  return { socket, received: () => count };
}

// #region steal
// 1. Two servers on one port. Both ask for reuseAddr, so the second bind succeeds: the
//    "address already in use" error that would have warned you never comes.
const first = await server(0);
const port = first.socket.address().port;
console.log(`first server  bound ${HOST}:${port} with reuseAddr: true`);
const second = await server(port);
console.log(`second server bound ${HOST}:${port} with reuseAddr: true: no error`);

// 2. A client sends three datagrams to that port.
const client = dgram.createSocket('udp4');
for (let i = 1; i <= 3; i++) {
  await new Promise<void>((resolve, reject) => client.send(`request ${i}`, port, HOST, (err) => (err ? reject(err) : resolve())));
}
console.log(`a client sent 3 datagrams to ${HOST}:${port}`);
await new Promise((resolve) => setTimeout(resolve, 200));

// 3. Linux delivers unicast datagrams to the socket that bound last: the second server took
//    the first one's traffic, and the first one has no idea.
console.log(`first server  received ${first.received()} of them`);
console.log(`second server received ${second.received()} of them`);
// #endregion steal

// #region refused
// 4. A server that did not set reuseAddr keeps its port: nobody can share it, with or without
//    the option. This is what a unicast server wants.
const target = Number(values.port);
try {
  const third = await server(target);
  console.log(`bound ${HOST}:${target}: nothing was using that port (start the demo server first to see it refused)`);
  third.socket.close();
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  console.log(`a reuseAddr socket on the demo server's port ${target}: ${code} (the demo server did not set reuseAddr)`);
}
// #endregion refused

client.close();
first.socket.close();
second.socket.close();
