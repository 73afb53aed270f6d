// Demo · lesson 05: 1 MiB to the demo server in self-describing chunks. The
// first round goes out as one burst, to show what loopback does with it;
// then what MISSING names is sent again, paced, until DONE.
//
// Run:   node --import tsx lessons/05-large-datagrams/server.ts   (first)
//        node --import tsx lessons/05-large-datagrams/send.ts --port 41234
//        (--paced paces the first round too; --size N sends N bytes)
//
// It prints something like this; the losses vary from run to run:
//   round 1: 874 chunks at once → MISSING: 503 chunks
//   round 2: 503 chunks paced → DONE 7 1048576 ba984ab7d…, the SHA-256
//   matches

import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  port: { type: 'string', default: '41234' },
  size: { type: 'string', default: String(1 << 20) },
  paced: { type: 'boolean', default: false },
} });
const PORT = Number(values.port);
const data = randomBytes(Number(values.size));
const sha = createHash('sha256').update(data).digest('hex');
const ID = 7;
const count = Math.max(1, Math.ceil(data.length / 1200));

// #region chunk
// id, index, count: three big-endian u32s, then up to 1,200 bytes.
function chunk(index: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt32BE(ID, 0);
  header.writeUInt32BE(index, 4);
  header.writeUInt32BE(count, 8);
  const start = index * 1200;
  return Buffer.concat([header, data.subarray(start, start + 1200)]);
}
// #endregion chunk

const socket = dgram.createSocket('udp4');
const send = (d: Buffer) =>
  new Promise((ok) => socket.send(d, PORT, '127.0.0.1', ok));

// #region pace
async function sendAll(indices: number[], paced: boolean): Promise<void> {
  if (!paced) {
    // A burst: every chunk handed to the kernel in one go.
    await Promise.all(indices.map((j) => send(chunk(j))));
    return;
  }
  // Paced: at most 16 chunks, then a millisecond for the receiver to read.
  for (let i = 0; i < indices.length; i += 16) {
    if (i > 0) await sleep(1);
    await Promise.all(indices.slice(i, i + 16).map((j) => send(chunk(j))));
  }
}
// #endregion pace

let todo = [...Array(count).keys()];
for (let round = 1; round <= 10; round++) {
  const paced = values.paced || round > 1;
  await sendAll(todo, paced);
  const reply = await Promise.race([once(socket, 'message'), sleep(1000)]);
  const text = reply ? String((reply as [Buffer])[0]) : 'no reply within 1 s';
  const how = `round ${round}: ${todo.length} chunks ` +
    (paced ? 'paced' : 'at once');
  if (text.startsWith('MISSING')) {
    // "MISSING 7 3,8,10-873": what it lists is what is still to send.
    todo = text.split(' ')[2]!.split(',').flatMap((item) => {
      const [a = 0, b = a] = item.split('-').map(Number);
      return Array.from({ length: b - a + 1 }, (_, k) => a + k);
    });
    console.log(`${how} → MISSING: ${todo.length} chunks`);
    continue;
  }
  const ok = text === `DONE ${ID} ${data.length} ${sha}`;
  console.log(`${how} → ${text.slice(0, 24)}…` +
    (ok ? ', the SHA-256 matches' : ', which is not the DONE it should be'));
  if (!ok) process.exitCode = 1;
  break;
}
socket.close();
