// Demo · lesson 01: message boundaries. Three quick writes over TCP, three
// datagrams over UDP, on this machine.
//
// Run:   node --import tsx lessons/01-udp-vs-tcp/boundaries.ts
// It prints something like:
//   TCP: 3 writes arrived as 1 read(s): [ 'onetwothree' ]
//   UDP: 3 datagrams arrived as 3 message(s): [ 'one', 'two', 'three' ]
// (TCP may show 2 or 3 reads on another run: nothing is promised.)

import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const WORDS = ['one', 'two', 'three'];

// #region tcp
// 1. TCP is a byte stream: the receiver gets the bytes, in order, in
//    chunks of the system's choosing.
const reads: string[] = [];
const tcp = net.createServer((socket) => {
  socket.on('data', (chunk) => reads.push(chunk.toString('utf8')));
});
await once(tcp.listen(0, '127.0.0.1'), 'listening');
const { port } = tcp.address() as net.AddressInfo;
const conn = net.connect(port, '127.0.0.1');
for (const word of WORDS) conn.write(word); // three separate writes
await once(conn.end(), 'close');
tcp.close();
console.log(`TCP: 3 writes arrived as ${reads.length} read(s):`, reads);
// #endregion tcp

// #region udp
// 2. UDP carries datagrams: each send() arrives as one 'message', whole,
//    or not at all.
const messages: string[] = [];
const receiver = dgram.createSocket('udp4');
receiver.on('message', (msg) => messages.push(msg.toString('utf8')));
await once(receiver.bind(0, '127.0.0.1'), 'listening');
const sender = dgram.createSocket('udp4');
for (const word of WORDS) {
  sender.send(word, receiver.address().port, '127.0.0.1', (err) => {
    if (err) console.error(`Send failed: ${err.message}`);
  });
}
// 3. Nothing promises that they arrive: wait a moment, not forever.
await sleep(200);
sender.close();
receiver.close();
const n = messages.length;
console.log(`UDP: 3 datagrams arrived as ${n} message(s):`, messages);
// #endregion udp
