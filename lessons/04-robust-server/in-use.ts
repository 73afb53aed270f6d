// Demo · lesson 04: what "address already in use" looks like in Node.
//
// Run:   node --import tsx lessons/04-robust-server/in-use.ts --port 41234
//        (with the demo server running: npm start -- demo 04)
// It prints, on Linux:
//   binding 127.0.0.1:41234 failed with an 'error' event:
//     err.code     EADDRINUSE  ← test this one
//     err.errno    -98         ← Linux's 98, negated
//     err.syscall  bind
//     err.message  bind EADDRINUSE 127.0.0.1:41234

import dgram from 'node:dgram';
import { HOST, PORT } from './options.ts';

// #region in-use
const socket = dgram.createSocket('udp4');

// A failed bind is not thrown: it arrives as an 'error' event. Without this
// listener, Node would end the process with a stack trace. err.code is the
// same on every system; err.errno is the system's own number (macOS: -48).
socket.on('error', (err: NodeJS.ErrnoException) => {
  console.log(`binding ${HOST}:${PORT} failed with an 'error' event:`);
  console.log(`  err.code     ${err.code}  ← test this one`);
  console.log(`  err.errno    ${err.errno}         ← Linux's 98, negated`);
  console.log(`  err.syscall  ${err.syscall}`);
  console.log(`  err.message  ${err.message}`);
  socket.close();
});

socket.bind(PORT, HOST, () => {
  console.log(`bound ${HOST}:${PORT}: nothing was using it.`);
  console.log('Start the demo server first, then run this again.');
  socket.close();
});
// #endregion in-use
