// Lab 04 · A robust UDP server: the entry point, which wires lab 03's
// processor into the server.
//
// Every datagram gets one reply: "Response: <TEXT IN UPPER CASE>" (or
// "Error: Invalid encoding"), as process-message.ts specifies, or the 24
// bytes of "Error processing request" when processing fails. Nothing a
// client sends can stop it. It ends with one line on stderr and exit code 2
// for a --port that is not 0 to 65535, with one line and exit code 1 when it
// cannot start (a port already in use, say), and cleanly, with exit code 0,
// on Ctrl+C or SIGTERM. The server itself is in udp-server.ts; this file
// only starts it and decides how it ends.
//
// Run it:   node --import tsx labs/04-robust-server/server.ts --port 8080
// Poke it:  echo -n hello | nc -u -w1 127.0.0.1 8080   prints: Response: HELLO
// Try:      start a second one on the same port: one ERROR line, exit code 1
// Check it: npm start -- check 04

import { parseArgs } from 'node:util';
import { createLogger } from './logger.ts';
import { processMessage } from './process-message.ts';
import { startServer } from './udp-server.ts';

const log = createLogger();
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const HOST = values.host;
const PORT = Number(values.port);

// TODO: 1. bind() does not check its port: bind(NaN) picks a random one,
//          bind(70000) another. Refuse a --port that is not a number from 0
//          to 65535: one line (log.error), then process.exit(2).

try {
  const options = { host: HOST, port: PORT, processMessage, log };
  const server = await startServer(options);

  // TODO: 2. Close the server on every way out: on SIGINT (Ctrl+C) and on
  //          SIGTERM (kill, systemd, docker stop), log a shutdown message and
  //          call server.close(). Once the socket is closed, the process
  //          exits by itself, with code 0.
} catch (err) {
  // TODO: 3. This is the document's test, translated. 48 is macOS's number
  //          for "address in use" (Linux says 98, and Node reports either as
  //          a negative errno), so here it never matches and the error
  //          escapes with a stack trace. Test err.code === 'EADDRINUSE'
  //          instead, log one line that names the port, and set
  //          process.exitCode = 1 (for any other error too, with its
  //          message).
  if ((err as NodeJS.ErrnoException).errno === 48) {
    log.error(`Port ${PORT} already in use`);
  } else {
    throw err;
  }
}
