// Demo · lesson 05: a server that reassembles self-describing chunks.
//
// Run:   node --import tsx lessons/05-large-datagrams/server.ts
//        (or: npm start -- demo 05)
// Send:  node --import tsx lessons/05-large-datagrams/send.ts --port 41234
// Poke:  npm start -- send 127.0.0.1:41234 hello
//        prints: "ERROR - 5 B is too short" (a chunk has a 12-byte header)
//
// Each datagram is one chunk: id, index and count (big-endian u32s), then
// up to 1,200 bytes. It answers DONE when a transfer is complete, MISSING
// after 200 ms without news of one that is not, ERROR for anything else.
// The lab's server adds the limits a server facing strangers needs.

import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  port: { type: 'string', default: '41234' },
  host: { type: 'string', default: '127.0.0.1' },
} });
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65_535) {
  console.error(`--port must be a whole number up to 65535: ${values.port}`);
  process.exit(2);
}
const QUIET_GAP_MS = 200;

interface Transfer { count: number; chunks: Map<number, Buffer>;
  timer?: NodeJS.Timeout }
const transfers = new Map<string, Transfer>();
// #region missing
// "MISSING 7 3,8,9": every index left out has arrived. Within 1,200 B: when
// the list is nearly full, it ends with a range to the last index instead.
function missing(id: number, t: Transfer): string {
  const room = 1200 - `MISSING ${id} `.length;
  let list = '';
  for (let i = 0; i < t.count; i++) {
    if (t.chunks.has(i)) continue;
    if (list.length + 20 > room) {
      return `MISSING ${id} ${list}${i}-${t.count - 1}`;
    }
    list += `${i},`;
  }
  return `MISSING ${id} ${list.slice(0, -1)}`;
}
// #endregion missing

const server = dgram.createSocket('udp4');
const reply = (text: string, rinfo: dgram.RemoteInfo) =>
  server.send(text, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Reply failed: ${err.message}`);
  });

server.on('message', (msg, rinfo) => {
  // #region header
  // 1. Read the header, and trust none of it until it is checked.
  if (msg.length < 12) {
    return reply(`ERROR - ${msg.length} B is too short`, rinfo);
  }
  const id = msg.readUInt32BE(0);
  const index = msg.readUInt32BE(4);
  const count = msg.readUInt32BE(8);
  if (count < 1 || count > 1024 || index >= count || msg.length > 1212) {
    return reply(`ERROR ${id} bad header`, rinfo);
  }
  // #endregion header
  // #region key
  // 2. A transfer is its sender's address and port, and its id.
  const key = `${rinfo.address}|${rinfo.port}|${id}`;
  const t: Transfer = transfers.get(key) ?? { count, chunks: new Map() };
  if (count !== t.count) return reply(`ERROR ${id} count changed`, rinfo);
  transfers.set(key, t);
  // 3. Keyed by index: order and duplicates no longer matter.
  t.chunks.set(index, msg.subarray(12));
  // #endregion key
  clearTimeout(t.timer);
  if (t.chunks.size < t.count) {
    // 4. No news for a while: say what is still missing.
    t.timer = setTimeout(() => reply(missing(id, t), rinfo), QUIET_GAP_MS);
    return;
  }
  const parts = [...Array(t.count).keys()].map((i) => t.chunks.get(i)!);
  const data = Buffer.concat(parts);
  const sha = createHash('sha256').update(data).digest('hex');
  transfers.delete(key);
  console.log(`Transfer ${id} from ${rinfo.address}:${rinfo.port}: ` +
    `${data.length} B in ${count} chunks, sha256 ${sha.slice(0, 16)}…`);
  reply(`DONE ${id} ${data.length} ${sha}`, rinfo);
});

server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
});
server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});
server.bind(PORT, values.host);
