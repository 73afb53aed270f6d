// Demo · lesson 07: the source document's broadcast server, in Node.
//
// Run:   node --import tsx lessons/07-broadcast/server.ts
//        then a second copy in another terminal: it starts too (reuseAddr)
// Poke:  npm start -- send 127.255.255.255:41234 hello --broadcast
//        one "Server response" from each copy, both from 127.0.0.1:41234
//        npm start -- send 127.0.0.1:41234 hello     (unicast: one reply)
//
// It prints:
//   UDP server listening on 0.0.0.0:41234
//   Received from 127.0.0.1:50123: hello

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '0.0.0.0' },
  },
});
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error('--port must be an integer from 0 to 65535');
  process.exit(2);
}

// #region socket
// 1. SO_REUSEADDR: other copies may bind the same port, and each copy
//    gets its own copy of every broadcast.
const server = dgram.createSocket({ type: 'udp4', reuseAddr: true });

server.on('message', (msg, rinfo) => {
  const from = `${rinfo.address}:${rinfo.port}`;
  console.log(`Received from ${from}: ${msg.toString('utf8')}`);
  // 2. "Respond to broadcast or unicast": either way, to the sender.
  server.send('Server response', rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not answer ${from}: ${err.message}`);
  });
});

server.on('listening', () => {
  // 3. SO_BROADCAST, as the document sets it. It allows *sending* to a
  //    broadcast address, which this server never does; it needs a bound
  //    socket (before bind it throws EBADF).
  server.setBroadcast(true);
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

server.on('error', (err: NodeJS.ErrnoException) => {
  const taken = err.code === 'EADDRINUSE';
  console.error(taken ? `Port ${PORT} is in use, not shared` : err.message);
  server.close();
  process.exitCode = 1;
});

// 4. bind(('', port)): '' is every address, 0.0.0.0. Bound to 127.0.0.1,
//    the server would hear no broadcast at all.
server.bind(PORT, values.host);
// #endregion socket
