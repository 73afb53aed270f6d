// Demo · lesson 03: the source document's complete server, in Node.
//
// Run:   node --import tsx lessons/03-complete-server/server.ts     (or: npm start -- demo 03)
// Poke:  echo -n hello | nc -u -w1 127.0.0.1 41234                   prints: Response: HELLO
//        printf '\xff\xfe' | nc -u -w1 127.0.0.1 41234               prints: Error: Invalid encoding
// Stop:  Ctrl+C                                                      prints: Shutting down server...
//
// It prints:
//   UDP server listening on 127.0.0.1:41234
//   Received 5 bytes from 127.0.0.1:50123
//   Sent response to 127.0.0.1:50123

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

// 1. udp_server(host='localhost', port=8080) becomes two command-line options.
const { values } = parseArgs({
  options: { port: { type: 'string', default: '41234' }, host: { type: 'string', default: '127.0.0.1' } },
});

// #region process
// 2. Bytes in, bytes out: no sockets here. `fatal: true` makes invalid UTF-8 throw, as
//    Python's decode('utf-8') does; msg.toString('utf8') never would.
const decoder = new TextDecoder('utf-8', { fatal: true });

function processMessage(data: Buffer): Buffer {
  try {
    return Buffer.from(`Response: ${decoder.decode(data).toUpperCase()}`, 'utf8');
  } catch {
    return Buffer.from('Error: Invalid encoding', 'utf8');
  }
}
// #endregion process

// #region transport
const server = dgram.createSocket('udp4');

// 3. The transport: receive, log who sent it, process, reply, log the outcome.
server.on('message', (msg, rinfo) => {
  console.log(`Received ${msg.length} bytes from ${rinfo.address}:${rinfo.port}`);
  server.send(processMessage(msg), rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Could not reply to ${rinfo.address}:${rinfo.port}: ${err.message}`);
    else console.log(`Sent response to ${rinfo.address}:${rinfo.port}`);
  });
});
// #endregion transport

server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
});

server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

// #region shutdown
// 4. Ctrl+C is SIGINT. Close the socket and the event loop runs dry: the process exits with 0.
process.once('SIGINT', () => {
  console.log('Shutting down server...');
  server.close();
});
// #endregion shutdown

server.bind(Number(values.port), values.host);
