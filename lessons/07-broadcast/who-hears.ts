// Demo · lesson 07: who may send a broadcast, and who hears one.
//
// Run:   node --import tsx lessons/07-broadcast/who-hears.ts
//        (--port P: the port the listeners share; default: a free one)
//
// It prints, on Linux (macOS's lo0 has no broadcast address):
//   setBroadcast before bind:        EBADF
//   broadcast without setBroadcast:  EACCES
//   broadcast with it:               sent
//   0.0.0.0          heard "probe" from 127.0.0.1:51000
//   0.0.0.0          heard "probe" from 127.0.0.1:51000
//   127.255.255.255  heard "probe" from 127.0.0.1:51000
//   127.0.0.1        heard nothing
//   unicast to 127.0.0.1:40123 reached 1 of 4: 127.0.0.1

import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' } },
});
let port = Number(values.port);
const BROADCAST = '127.255.255.255';
const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code;

// #region send
// 1. setBroadcast needs a bound socket: before bind(), it throws EBADF.
const sender = dgram.createSocket('udp4');
try {
  sender.setBroadcast(true);
} catch (err) {
  console.log(`setBroadcast before bind:        ${codeOf(err)}`);
}
sender.bind(0, '127.0.0.1');
await once(sender, 'listening');
const send = (text: string, to: string) =>
  new Promise<string>((resolve) => {
    sender.send(text, port, to, (e) => resolve(e ? codeOf(e)! : 'sent'));
  });
// #endregion send

// 2. Four sockets share one port (reuseAddr), bound to four addresses.
const addresses = ['0.0.0.0', '0.0.0.0', BROADCAST, '127.0.0.1'];
type Listener = { address: string; socket: dgram.Socket; heard: string[] };
const listeners: Listener[] = [];
// #region listeners
for (const address of addresses) {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const heard: string[] = [];
  socket.on('message', (msg, { address: a, port: p }) => {
    heard.push(`"${msg}" from ${a}:${p}`);
  });
  socket.bind(port, address);
  await once(socket, 'listening');
  port = socket.address().port;
  listeners.push({ address, socket, heard });
}
// #endregion listeners

// 3. No SO_BROADCAST, no broadcast: EACCES, reported to the callback only.
const refused = await send('probe', BROADCAST);
console.log(`broadcast without setBroadcast:  ${refused}`);
sender.setBroadcast(true);
const sent = await send('probe', BROADCAST);
console.log(`broadcast with it:               ${sent}`);
await sleep(50);
for (const { address, heard } of listeners) {
  const what = heard.splice(0).join(', ') || 'nothing';
  console.log(`${address.padEnd(16)} heard ${what}`);
}

// 4. A unicast datagram goes to one socket only, whoever else shares.
await send('unicast', '127.0.0.1');
await sleep(50);
const got = listeners.filter((l) => l.heard.length > 0).map((l) => l.address);
const where = `127.0.0.1:${port}`;
console.log(`unicast to ${where} reached ${got.length} of 4: ${got}`);
for (const { socket } of listeners) socket.close();
sender.close();
