// Demo · lesson 07: why every server waits a random 20 to 120 ms before
// it answers a broadcast. Five responders hear one probe; the client
// prints when each reply arrives, first without a delay, then with one.
//
// Run:   node --import tsx lessons/07-broadcast/jitter.ts
//        (--port P: the port the responders share; default: a free one)
//
// It prints something like:
//   no delay:   2.3 2.3 2.3 2.3 2.3 ms: all 5 within 0.1 ms
//   20-120 ms:  32.2 43.7 69.2 108.6 110.0 ms: all 5 within 77.8 ms

import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' } },
});
let port = Number(values.port);
let delay = () => 0;

// #region responders
// Five responders on one port. Each waits `delay()` ms, drawn afresh for
// every probe, before it answers the one who asked.
const responders: dgram.Socket[] = [];
for (let i = 0; i < 5; i++) {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (msg, rinfo) => {
    setTimeout(() => {
      socket.send(`HERE r${i}`, rinfo.port, rinfo.address, (err) => {
        if (err) console.error(err.message);
      });
    }, delay());
  });
  socket.bind(port, '127.255.255.255');
  await once(socket, 'listening');
  port = socket.address().port;
  responders.push(socket);
}
// #endregion responders

const client = dgram.createSocket('udp4');
client.bind(0, '127.0.0.1');
await once(client, 'listening');
client.setBroadcast(true);

async function probe(label: string): Promise<void> {
  const arrivals: number[] = [];
  let sent = performance.now();
  const onReply = () => arrivals.push(performance.now() - sent);
  client.on('message', onReply);
  client.send('DISCOVER', port, '127.255.255.255', (err) => {
    if (err) console.error(err.message);
    sent = performance.now(); // the kernel has it: the clock starts
  });
  await sleep(200);
  client.off('message', onReply);
  const spread = Math.max(...arrivals) - Math.min(...arrivals);
  const times = arrivals.map((t) => t.toFixed(1)).join(' ');
  const all = `all ${arrivals.length} within ${spread.toFixed(1)} ms`;
  console.log(`${label.padEnd(11)} ${times} ms: ${all}`);
}

await probe('no delay:');
delay = () => 20 + Math.random() * 100;
await probe('20-120 ms:');
for (const socket of [...responders, client]) socket.close();
