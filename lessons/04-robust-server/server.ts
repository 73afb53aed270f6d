// Demo · lesson 04: the source document's robust server, in Node.
//
// Run:   node --import tsx lessons/04-robust-server/server.ts
// Poke:  npm start -- send 127.0.0.1:41234 hello   (also: boom, slow)
// Then:  Ctrl+C during a "slow": still exit code 0. A second copy on the
//        same port: one ERROR line, and exit code 1.

import dgram from 'node:dgram';
import { log } from './log.ts';
import { HOST, PORT } from './options.ts';
import { processMessage } from './process-message.ts';

// 1. No reuseAddr: a port that is taken must fail loudly, not be shared.
const server = dgram.createSocket('udp4');
let bound = false;
let closing = false;

// #region message
async function answer(msg: Buffer, rinfo: dgram.RemoteInfo) {
  const peer = `${rinfo.address}:${rinfo.port}`;
  log('INFO', `Received ${msg.length} bytes from ${peer}`);
  let reply: Buffer;
  try {
    reply = await processMessage(msg); // a throw or a rejection, caught
  } catch (err) {
    log('ERROR', `Error processing message from ${peer}: ${err}`);
    reply = Buffer.from('Error processing request', 'utf8');
  }
  if (closing) return; // closed meanwhile: send() would throw
  server.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) log('ERROR', `Could not send to ${peer}: ${err.message}`);
    else log('INFO', `Sent response to ${peer}`);
  });
}

// 2. Not an async listener: nothing answer() rejects with goes unhandled.
server.on('message', (msg, rinfo) => {
  answer(msg, rinfo).catch((err) => log('ERROR', `Not answered: ${err}`));
});
// #endregion message

// #region error
// 3. Not bound yet: the server cannot start. Bound: one operation failed.
server.on('error', (err: NodeJS.ErrnoException) => {
  if (bound) return log('ERROR', `Socket error: ${err.message}`);
  const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.message;
  log('ERROR', `Cannot listen on ${HOST}:${PORT}: ${why}`);
  server.close();
  process.exitCode = 1;
});
// #endregion error

server.bind(PORT, HOST, () => {
  bound = true;
  const { address, port } = server.address();
  log('INFO', `UDP server listening on ${address}:${port}`);
});

// 4. Ctrl+C or SIGTERM: close, and the process ends with exit code 0.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log('INFO', `${signal}: shutting down`);
    closing = true;
    server.close();
  });
}
