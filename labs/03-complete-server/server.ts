// Lab 03 · A complete UDP server.
//
// Every datagram gets one reply, made by processMessage (process-message.ts,
// where the reply's bytes are specified): "Response: <TEXT IN UPPER CASE>",
// or "Error: Invalid encoding" when the bytes are not UTF-8. The server logs
// each datagram it receives and each reply it sends, naming the peer's
// address and port, and Ctrl+C shuts it down cleanly (exit code 0).
//
// Run it:   node --import tsx labs/03-complete-server/server.ts   (port 8080)
//           node --import tsx labs/03-complete-server/server.ts --port 9000
// Poke it:  echo -n hello | nc -u -w1 127.0.0.1 8080   prints: Response: HELLO
// Stop it:  Ctrl+C                         prints: Shutting down server...
// Check it: npm start -- check 03

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import { processMessage } from './process-message.ts';

// The document's udp_server(host='localhost', port=8080), as command-line
// options. bind() does not check its port (NaN or 70000 would bind another
// one), so a bad --port is refused here, in one line, with exit code 2.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const HOST = values.host;
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error(`--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

const socket = dgram.createSocket(HOST.includes(':') ? 'udp6' : 'udp4');

socket.on('message', (msg, rinfo) => {
  // TODO: 1. Log the datagram: how many bytes, and the sender's address and
  //          port (rinfo). Not its text: it may not be text at all.

  // The transport stops here: what to answer is processMessage's business.
  const reply = processMessage(msg);

  socket.send(reply, rinfo.port, rinfo.address, (err) => {
    // TODO: 2. Log what became of the reply, naming the peer's address and
    //          port: the error if there is one (a reply over 65,507 bytes
    //          fails with EMSGSIZE, and only this callback hears of it),
    //          otherwise that it was sent.
  });
});

socket.on('error', (err) => {
  console.error(`Socket error: ${err.message}`);
  socket.close();
  process.exitCode = 1;
});

socket.on('listening', () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

// TODO: 3. Ctrl+C sends the process SIGINT; without a handler the process is
//          killed on the spot. Handle it once with process.once('SIGINT',
//          ...): print a shutdown message and close the socket. With nothing
//          left to wait for, the process then exits with code 0.

socket.bind(PORT, HOST);
