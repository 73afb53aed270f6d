// A correct server in another style: datagrams read in a for-await loop, shutdown through an
// AbortSignal, logs in the Python document's format.
import { createSocket } from 'node:dgram';
import { on, once } from 'node:events';
import { parseArgs } from 'node:util';
import { processMessage } from './process-message.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
const controller = new AbortController();
const socket = createSocket({ type: 'udp4', signal: controller.signal });
socket.on('error', (err) => console.error(`Error: ${err.message}`));
process.once('SIGINT', () => {
  console.log('\nShutting down server...');
  controller.abort();
});

socket.bind(Number(values.port), values.host);
await once(socket, 'listening');
console.log(`UDP server listening on ${socket.address().address}:${socket.address().port}`);

try {
  for await (const [data, rinfo] of on(socket, 'message', { signal: controller.signal }) as AsyncIterable<[Buffer, { address: string; port: number }]>) {
    const client = `('${rinfo.address}', ${rinfo.port})`;
    console.log(`Received from ${client}: ${data.toString('utf8')}`);
    socket.send(processMessage(data), rinfo.port, rinfo.address, (err) => {
      console.log(err ? `Error: ${err.message}` : `Sent response to ${client}`);
    });
  }
} catch (err) {
  if ((err as Error).name !== 'AbortError') throw err;
}
