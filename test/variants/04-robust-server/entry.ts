// A correct entry in another style: its own argument reading (checked with Number.isInteger and
// a range), one shutdown function for both signals, process.exit(1) when the server cannot start,
// and lab 03's processor written inline with buffer.isUtf8.
import { isUtf8 } from 'node:buffer';
import { createLogger } from './logger.ts';
import { startServer, type UdpServer } from './udp-server.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const host = option('host', '127.0.0.1');
const port = Number(option('port', '8080'));
const log = createLogger();
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  log.error(`not a port: ${option('port', '8080')} (give --port 0 to 65535)`);
  process.exit(2);
}

const processMessage = (data: Buffer) =>
  Buffer.from(isUtf8(data) ? `Response: ${data.toString('utf8').toUpperCase()}` : 'Error: Invalid encoding');

let server: UdpServer;
try {
  server = await startServer({ host, port, processMessage, log });
} catch (err) {
  const { code, message } = err as NodeJS.ErrnoException;
  log.error(code === 'EADDRINUSE' ? `cannot start: ${host}:${port} is taken by another program` : `cannot start: ${message}`);
  process.exit(1);
}

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log.warn(`${signal}: closing the socket`);
  void server.close().then(() => log.info('closed'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
