// Demo · lesson 09: a TFTP server on one page. Stop-and-wait, no options.
//
// Run:    node --import tsx lessons/09-reliability/server.ts
//         (or: npm start -- demo 09)
// Fetch:  curl -o - tftp://127.0.0.1:6969/hints.md
//         node --import tsx lessons/09-reliability/get.ts --file lesson.md
//
// It serves the files of this folder, by plain name only ("lesson.md"),
// in blocks of 512 bytes, one block per round trip. It prints:
//   UDP server listening on 127.0.0.1:6969
//   hints.md to 127.0.0.1:50123, from port 41234: 5 block(s), sent

import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6969' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const PORT = Number(values.port);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65_535) {
  console.error(`--port must be a whole number from 0 to 65535.`);
  process.exit(2);
}
const HOST = values.host;
const BLOCK = 512;
const TIMEOUT_MS = 1000;
const RETRIES = 5;

const error = (code: number, text: string) =>
  Buffer.concat([Buffer.from([0, 5, 0, code]), Buffer.from(`${text}\0`)]);
const failed = (err: Error | null) => err && console.error(err.message);

// #region request
const server = dgram.createSocket('udp4');
server.on('message', async (msg, client) => {
  const answer = (packet: Buffer) =>
    server.send(packet, client.port, client.address, failed);
  // 1. An RRQ is 00 01, the filename, 00, the mode, 00 (options after
  //    that are ignored here). Anything else is refused with an ERROR.
  const [name = '', mode = ''] = msg.toString('utf8', 2).split('\0');
  if (msg[0] !== 0 || msg[1] !== 1) return answer(error(4, 'RRQ only'));
  if (mode.toLowerCase() !== 'octet') return answer(error(4, 'octet only'));
  if (path.basename(name) !== name || name.startsWith('.')) {
    return answer(error(2, 'plain file names only'));
  }
  const data = await readFile(path.join(import.meta.dirname, name))
    .catch(() => undefined);
  if (!data) return answer(error(1, 'File not found'));
  transfer(name, data, client);
});
// #endregion request

// #region send
function transfer(name: string, data: Buffer, client: dgram.RemoteInfo) {
  // 2. A socket of its own: its port is the transfer's ID, and every
  //    packet of this transfer goes from and to it.
  const socket = dgram.createSocket('udp4');
  const last = Math.floor(data.length / BLOCK) + 1;
  let block = 1;
  let tries = 0;
  let timer: NodeJS.Timeout | undefined;
  const done = (how: string) => {
    clearTimeout(timer);
    const { port } = socket.address();
    console.log(`${name} to ${client.address}:${client.port}, ` +
      `from port ${port}: ${last} block(s), ${how}`);
    socket.close();
  };
  const send = () => {
    // 3. Block numbers are 16 bits: the two bytes of `block`, wrapped.
    const head = Buffer.from([0, 3, (block >> 8) & 0xff, block & 0xff]);
    const body = data.subarray((block - 1) * BLOCK, block * BLOCK);
    const packet = Buffer.concat([head, body]);
    socket.send(packet, client.port, client.address, failed);
    // 4. No ACK in time: the same block again, RETRIES times at most.
    const retry = () => (++tries > RETRIES ? done('gave up') : send());
    timer = setTimeout(retry, TIMEOUT_MS);
  };
  // #endregion send
  // #region ack
  socket.on('message', (ack, from) => {
    // 5. Only the client's ACK of this very block moves on. Anything else,
    //    a duplicate ACK of the block before among them, changes nothing.
    const mine = from.address === client.address && from.port === client.port;
    if (!mine || ack.length < 4 || ack[1] !== 4) return;
    if (ack.readUInt16BE(2) !== (block & 0xffff)) return;
    clearTimeout(timer);
    tries = 0;
    if (block === last) return done('sent');
    block++;
    send();
  });
  socket.on('error', failed);
  socket.bind(0, HOST, send);
}
// #endregion ack

server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
  process.exitCode = 1;
});
server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});
server.bind(PORT, HOST);
