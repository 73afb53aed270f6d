// A bug learners write: "the client" kept in one variable, the reply sent a moment later.
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
const socket = dgram.createSocket('udp4');
let client: dgram.RemoteInfo | undefined;

socket.on('message', (msg, rinfo) => {
  client = rinfo;
  setTimeout(() => {
    if (client) socket.send(Buffer.from(`Echo: ${msg.toString('utf8')}`), client.port, client.address, () => {});
  }, 20);
});
socket.on('listening', () => console.log(`UDP server listening on ${socket.address().address}:${socket.address().port}`));
socket.bind(Number(values.port), values.host);
