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

// bind() does not check its port: bind(NaN) picks a random one, bind(70000)
// another. A bad --port is a usage error: one line, exit code 2.
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  log.error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}

try {
  const options = { host: HOST, port: PORT, processMessage, log };
  const server = await startServer(options);

  // Every way out closes the socket: Ctrl+C (SIGINT), and SIGTERM from kill,
  // systemd or `docker stop`. Once it is closed, nothing is left to wait for
  // and the process exits with 0.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info(`${signal} received, shutting down`);
      void server.close().then(() => log.info('Server closed'));
    });
  }
} catch (err) {
  // A failure we expect gets one line that says what to do, and exit code 1:
  // no stack trace for the user to decode. The document tests `errno == 48`,
  // which is macOS's number (Linux says 98, and Node reports either as a
  // negative errno); `code` is the same everywhere.
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    log.error(`Port ${PORT} on ${HOST} is already in use: stop the other ` +
      'server, or choose another port with --port.');
  } else {
    log.error(`Could not start the server on ${HOST}:${PORT}: ${e.message}`);
  }
  process.exitCode = 1;
}
