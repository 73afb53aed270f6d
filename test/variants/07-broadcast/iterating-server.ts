// A correct discovery server in another style: datagrams read with events.on, each delay awaited
// with timers/promises, and one AbortController that ends the loop, the pending replies and the
// socket on Ctrl+C.
import { createSocket } from 'node:dgram';
import { on, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '0.0.0.0' },
    name: { type: 'string', default: 'discovery' },
    'service-port': { type: 'string', default: '8000' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port.trim() === '') {
  console.error(`bad --port ${values.port}`);
  process.exit(2);
}
const reply = Buffer.from(`HERE ${values.name} ${Number(values['service-port'])}`);
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort());

const socket = createSocket({ type: 'udp4', reuseAddr: true, signal: stop.signal });
socket.bind(port, values.host);
try {
  await once(socket, 'listening');
} catch (err) {
  console.error(`cannot listen on port ${port}: ${(err as Error).message}`);
  process.exit(1);
}
const bound = socket.address();
console.log(`UDP server listening on ${bound.address}:${bound.port}`);

async function answer(to: { address: string; port: number }): Promise<void> {
  await sleep(20 + Math.random() * 100, undefined, { signal: stop.signal });
  socket.send(reply, to.port, to.address, (err) => err && console.error(`send failed: ${err.message}`));
}

try {
  for await (const [msg, rinfo] of on(socket, 'message', { signal: stop.signal })) {
    if (!(msg as Buffer).equals(Buffer.from('DISCOVER'))) continue;
    answer(rinfo as { address: string; port: number }).catch(() => {}); // aborted at shutdown
  }
} catch (err) {
  if ((err as Error).name !== 'AbortError') console.error(`socket error: ${(err as Error).message}`);
}
