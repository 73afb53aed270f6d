// Demo · lesson 03: the source document's complete server, in Node.
//
// Run:   node --import tsx lessons/03-complete-server/server.ts
//        (or: npm start -- demo 03)
// Poke:  npm start -- send 127.0.0.1:41234 hello     ← "Response: HELLO"
//        echo -n hello | nc -u -w1 127.0.0.1 41234    (the same, with nc)
// Stop:  Ctrl+C, and it prints: Shutting down server...

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import { processMessage } from './process-message.ts';

// 1. udp_server(host='localhost', port=8080): two command-line options.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error(`--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

// #region transport
// 2. Receive, log who sent it, process, reply, log what became of it.
const server = dgram.createSocket('udp4');
server.on('message', (msg, rinfo) => {
  const peer = `${rinfo.address}:${rinfo.port}`;
  console.log(`Received ${msg.length} bytes from ${peer}`);
  server.send(processMessage(msg), rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not reply to ${peer}: ${err.message}`);
    else console.log(`Sent response to ${peer}`);
  });
});
// #endregion transport

server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
  process.exitCode = 1;
});

server.bind(PORT, values.host, () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

// #region shutdown
// 3. Ctrl+C is SIGINT. Close the socket and the event loop runs dry: the
//    process ends by itself, with exit code 0.
process.once('SIGINT', () => {
  console.log('Shutting down server...');
  server.close();
});
// #endregion shutdown
