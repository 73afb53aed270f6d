// Lab 04 · A robust UDP server: the entry point, which wires lab 03's processor into the server.
//
// Every datagram gets one reply: "Response: <TEXT IN UPPER CASE>" (or "Error: Invalid encoding"),
// or "Error processing request" when processing fails. Nothing a client sends can stop it; a port
// already in use ends it with one line and exit code 1; Ctrl+C or SIGTERM closes it cleanly.
// The server itself is in udp-server.ts; this file only starts it and decides how it ends.
//
// Run it:   node --import tsx labs/04-robust-server/server.ts --port 8080
// Poke it:  echo -n hello | nc -u -w1 127.0.0.1 8080        prints: Response: HELLO
// Try:      start a second one on the same port: it prints one ERROR line and exits with code 1
// Check it: npm start -- check 04

import { parseArgs } from 'node:util';
import { createLogger } from './logger.ts';
import { processMessage } from './process-message.ts';
import { startServer } from './udp-server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const HOST = values.host;
const PORT = Number(values.port);
const log = createLogger();

try {
  const server = await startServer({ host: HOST, port: PORT, processMessage, log });

  // Every way out closes the socket: Ctrl+C (SIGINT), and SIGTERM from kill, systemd or
  // `docker stop`. Once it is closed, nothing is left to wait for and the process exits with 0.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info(`${signal} received, shutting down`);
      void server.close().then(() => log.info('Server closed'));
    });
  }
} catch (err) {
  // A failure we expect gets one line that says what to do, and exit code 1: no stack trace for
  // the user to decode. The document tests `errno == 48`, which is macOS's number (Linux says
  // 98, and Node reports either as a negative errno); `code` is the same everywhere.
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    log.error(`Port ${PORT} on ${HOST} is already in use: stop the other server, or choose another port with --port.`);
  } else {
    log.error(`Could not start the server on ${HOST}:${PORT}: ${e.message}`);
  }
  process.exitCode = 1;
}
