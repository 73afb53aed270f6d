// Demo · lesson 04: the source document's robust server, in Node.
//
// Run:   node --import tsx lessons/04-robust-server/server.ts     (or: npm start -- demo 04)
// Poke:  echo -n hello | nc -u -w1 127.0.0.1 41234      prints: HELLO
//        echo -n boom | nc -u -w1 127.0.0.1 41234       prints: Error processing request
// Then:  start a second copy: it logs "Port 41234 is already in use" and exits with code 1.
//
// It prints:
//   2025-05-03T14:02:11.532Z INFO UDP server listening on 127.0.0.1:41234
//   2025-05-03T14:02:15.018Z INFO Received 4 bytes from 127.0.0.1:50123
//   2025-05-03T14:02:15.019Z ERROR Error processing message from 127.0.0.1:50123: boom on purpose

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '41234' }, host: { type: 'string', default: '127.0.0.1' } },
});

// #region log
// 1. logging.basicConfig, by hand: a timestamp and a level on every line; errors on stderr.
function log(level: 'INFO' | 'ERROR', message: string): void {
  const line = `${new Date().toISOString()} ${level} ${message}`;
  if (level === 'ERROR') console.error(line);
  else console.log(line);
}
// #endregion log

// 2. The document's process_message is data.upper(). This one also fails, on purpose, on "boom".
async function processMessage(data: Buffer): Promise<Buffer> {
  if (data.toString('utf8') === 'boom') throw new Error('boom on purpose');
  return Buffer.from(data.toString('utf8').toUpperCase(), 'utf8');
}

// 3. No reuseAddr: a port that is taken must fail loudly, not be shared.
const server = dgram.createSocket('udp4');

// #region message
server.on('message', async (msg, rinfo) => {
  const peer = `${rinfo.address}:${rinfo.port}`;
  log('INFO', `Received ${msg.length} bytes from ${peer}`);
  // 4. `await` inside `try` catches a throw and a rejected promise alike; one request fails,
  //    and the server goes on serving everyone else.
  let reply: Buffer;
  try {
    reply = await processMessage(msg);
  } catch (err) {
    log('ERROR', `Error processing message from ${peer}: ${(err as Error).message}`);
    reply = Buffer.from('Error processing request', 'utf8');
  }
  // 5. A failed send (EMSGSIZE) is reported here only. Log it and carry on.
  server.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) log('ERROR', `Could not send to ${peer}: ${err.message}`);
    else log('INFO', `Sent response to ${peer}`);
  });
});
// #endregion message

// #region error
// 6. A bind error means we cannot start: say so in one line, close, exit code 1. Compare
//    err.code, not errno: 48 is macOS's number, Linux's is 98. Later errors: log, keep serving.
server.on('error', (err: NodeJS.ErrnoException) => {
  if (err.syscall !== 'bind') return log('ERROR', `Socket error: ${err.message}`);
  log('ERROR', err.code === 'EADDRINUSE' ? `Port ${values.port} is already in use` : `Cannot bind: ${err.message}`);
  server.close();
  process.exitCode = 1;
});
// #endregion error

server.on('listening', () => {
  const { address, port } = server.address();
  log('INFO', `UDP server listening on ${address}:${port}`);
});

// 7. Ctrl+C: close the socket, and the process ends with exit code 0.
process.once('SIGINT', () => {
  log('INFO', 'Shutting down server...');
  server.close();
});

server.bind(Number(values.port), values.host);
