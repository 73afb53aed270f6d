// A correct echo server in another style: datagrams read in a for-await loop.
import { createSocket } from 'node:dgram';
import { on, once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
const socket = createSocket({ type: 'udp4' });
socket.on('error', (err) => console.error('socket error:', err.message));
socket.bind(Number(values.port), values.host);
await once(socket, 'listening');
const { address, port } = socket.address();
console.log(`UDP server listening on ${address}:${port}`);

for await (const [msg, rinfo] of on(socket, 'message') as AsyncIterable<[Buffer, { address: string; port: number }]>) {
  socket.send([Buffer.from('Echo: '), msg], rinfo.port, rinfo.address, (err) => err && console.error(err.message));
}
