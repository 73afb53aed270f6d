// A correct server.ts in one file and another style: datagrams read in a for-await loop, the
// command table a null-prototype object (so "toString" finds nothing), the reply sent as a list
// of Buffers, and the command split by a regular expression.
import { createSocket } from 'node:dgram';
import { on, once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bad --port ${values.port}`);
  process.exit(2);
}

type Handler = (arg: string | undefined) => string | undefined;
const commands: Record<string, Handler> = Object.assign(Object.create(null) as Record<string, Handler>, {
  TIME: (arg: string | undefined) => (arg === undefined ? new Date().toISOString() : undefined),
  ECHO: (arg: string | undefined) => arg,
});
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function reply(msg: Buffer): Buffer[] {
  const tag = /^#[\w-]{1,16} /.exec(msg.toString('latin1', 0, 18))?.[0] ?? '';
  const head = Buffer.from(tag, 'latin1');
  let text: string;
  try {
    text = strict.decode(msg.subarray(head.length));
  } catch {
    return [head, Buffer.from('Error: Invalid encoding')];
  }
  const [, name = '', arg] = /^([^ ]*)(?: ([\s\S]*))?$/.exec(text) ?? [];
  const answer = Object.hasOwn(commands, name) ? commands[name]!(arg) : undefined;
  return [head, Buffer.from(answer ?? 'Unknown command', 'utf8')];
}

const socket = createSocket(values.host.includes(':') ? 'udp6' : 'udp4');
socket.bind(port, values.host);
try {
  await Promise.race([once(socket, 'listening'), once(socket, 'error').then(([err]) => Promise.reject(err))]);
} catch (err) {
  console.error(`cannot bind ${values.host}:${port}: ${(err as Error).message}`);
  process.exit(1);
}
socket.on('error', (err) => console.error(`socket error: ${err.message}`));
console.log(`UDP server listening on ${socket.address().address}:${socket.address().port}`);
process.once('SIGTERM', () => socket.close());

for await (const [msg, rinfo] of on(socket, 'message') as AsyncIterable<[Buffer, { address: string; port: number }]>) {
  socket.send(reply(msg), rinfo.port, rinfo.address, (err) => err && console.error(err.message));
}
