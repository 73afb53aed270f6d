// Demo · lesson 05: the source document's protocol for large data, ported as
// it is, then broken on purpose through the impairment proxy (tools/net),
// whose seeded choices are the same on every run.
//
// Run:   node --import tsx lessons/05-large-datagrams/naive.ts
//
// It prints, for each way of breaking it, what the proxy did to the six
// datagrams (#1 is the count, #2 to #6 are chunks 0 to 4) and what the
// receiver ended with:
//   in order: the proxy did nothing
//     → 5000 B, intact
//   count overtaken: the proxy held #1
//     → 0 B (num_chunks 0)
//   chunk 2 lost: the proxy lost #4
//     → stuck after 5 datagrams
//   count duplicated: the proxy doubled #1, lost #4
//     → KeyError: 2
//   two senders: the proxy did nothing
//     → 5000 B, intact, and the other sender's chunks ignored

import dgram from 'node:dgram';
import { once } from 'node:events';
import { startProxy, type Impairments } from '../../tools/net/index.ts';

type Arrival = { msg: Buffer; rinfo: dgram.RemoteInfo };
const send = (s: dgram.Socket, data: Buffer, port: number) =>
  new Promise((resolve) => s.send(data, port, '127.0.0.1', resolve));

// #region send
// send_large_data: the count alone first, then each chunk behind its index.
async function sendLargeData(sock: dgram.Socket, data: Buffer, port: number,
  chunkSize = 1024): Promise<void> {
  const numChunks = Math.ceil(data.length / chunkSize);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(numChunks); // num_chunks.to_bytes(4, 'big')
  await send(sock, count, port);
  for (let i = 0; i < numChunks; i++) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(i);
    const chunk = data.subarray(i * chunkSize, (i + 1) * chunkSize);
    await send(sock, Buffer.concat([header, chunk]), port);
  }
}
// #endregion send

// #region receive
// receive_large_data. `next()` stands for recvfrom(): the next datagram.
async function receiveLargeData(next: () => Promise<Arrival>) {
  const first = await next();
  // recvfrom(4) keeps the first 4 bytes of whatever datagram comes first.
  const numChunks = first.msg.readUInt32BE(0);
  const address = first.rinfo;
  const chunks = new Map<number, Buffer>();
  while (chunks.size < numChunks) {
    const { msg, rinfo } = await next();
    if (rinfo.address !== address.address || rinfo.port !== address.port) {
      continue; // Ignore data from different source
    }
    chunks.set(msg.readUInt32BE(0), msg.subarray(4));
  }
  // b''.join(chunks[i] for i in range(num_chunks)): a hole is a KeyError.
  const parts = Array.from({ length: numChunks }, (_, i) => {
    const part = chunks.get(i);
    if (!part) throw new Error(`KeyError: ${i}`);
    return part;
  });
  return { data: Buffer.concat(parts), numChunks };
}
// #endregion receive

/** recvfrom(), except that it gives up after `ms` instead of waiting for
 * ever; `seen` keeps every datagram that came. */
function recvfrom(socket: dgram.Socket, ms: number, seen: Arrival[]) {
  const waiting: ((a: Arrival) => void)[] = [];
  socket.on('message', (msg, rinfo) => {
    seen.push({ msg, rinfo });
    waiting.shift()?.({ msg, rinfo });
  });
  const deadline = Date.now() + ms;
  return () => new Promise<Arrival>((resolve, reject) => {
    waiting.push(resolve);
    setTimeout(() => reject(new Error('stuck')), deadline - Date.now());
  });
}

// 5,000 bytes: 5 chunks of 1,024, so 6 datagrams with the count.
const DATA = Buffer.from('0123456789'.repeat(500));
const SCENARIOS: [string, Impairments, number, number][] = [
  // name, what the proxy does, its seed, how many senders
  ['in order', {}, 1, 1],
  ['count overtaken', { reorder: 0.2 }, 19, 1],
  ['chunk 2 lost', { loss: 0.2 }, 5, 1],
  ['count duplicated', { loss: 0.2, duplicate: 0.2 }, 191, 1],
  ['two senders', {}, 1, 2],
];

for (const [name, impairments, seed, senders] of SCENARIOS) {
  const receiver = dgram.createSocket('udp4');
  receiver.bind(0, '127.0.0.1');
  await once(receiver, 'listening');
  const target = { address: '127.0.0.1', port: receiver.address().port };
  const did: string[] = [];
  const proxy = await startProxy({ target, impairments, seed,
    onDatagram: ({ direction, fate: f }) => {
      if (direction !== 'up') return;
      if (f.drop) did.push(`lost #${f.seq}`);
      if (f.duplicate) did.push(`doubled #${f.seq}`);
      if (f.holdBack) did.push(`held #${f.seq}`);
    } });
  const seen: Arrival[] = [];
  const result = receiveLargeData(recvfrom(receiver, 300, seen));
  const sockets = Array.from({ length: senders }, () =>
    dgram.createSocket('udp4'));
  const port = proxy.address.port;
  await Promise.all(sockets.map((s) => sendLargeData(s, DATA, port)));
  let outcome: string;
  try {
    const { data, numChunks } = await result;
    outcome = data.equals(DATA) ? `${data.length} B, intact`
      : `${data.length} B (num_chunks ${numChunks})`;
  } catch (err) {
    outcome = (err as Error).message === 'stuck'
      ? `stuck after ${seen.length} datagrams` : (err as Error).message;
  }
  if (senders > 1) outcome += ", and the other sender's chunks ignored";
  console.log(`${name}: the proxy ${did.join(', ') || 'did nothing'}`);
  console.log(`  → ${outcome}`);
  await proxy.stop();
  for (const s of sockets) s.close();
  receiver.close();
}
