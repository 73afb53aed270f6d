// Demo · lesson 07: multicast on loopback, the modern alternative to
// broadcast. Two members join a group; one datagram to the group reaches
// both, and each answers the sender by unicast.
//
// Run:   node --import tsx lessons/07-broadcast/multicast.ts
//        (--port P: the port the group uses; default: a free one)
//
// It prints:
//   member 1 heard "DISCOVER" from 127.0.0.1:46100
//   member 2 heard "DISCOVER" from 127.0.0.1:46100
//   the sender got "HERE member-1" from 127.0.0.1:40321
//   the sender got "HERE member-2" from 127.0.0.1:40321
//   a broadcast to 127.255.255.255:40321 reached 0

import dgram from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' } },
});
let port = Number(values.port);
// 239.255.0.0/16: "administratively scoped" (RFC 2365), for local use.
const GROUP = '239.255.7.7';

// #region members
const members: dgram.Socket[] = [];
let heard = 0;
const report = (err: Error | null) => err && console.error(err.message);
for (const n of [1, 2]) {
  // 1. Bound to the group's address, a member hears only that group's
  //    datagrams; reuseAddr lets the two members share the port.
  const member = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  member.bind(port, GROUP);
  await once(member, 'listening');
  port = member.address().port;
  // 2. Join the group on loopback's interface (after bind).
  member.addMembership(GROUP, '127.0.0.1');
  member.on('message', (msg, { address, port: from }) => {
    heard++;
    console.log(`member ${n} heard "${msg}" from ${address}:${from}`);
    member.send(`HERE member-${n}`, from, address, report);
  });
  members.push(member);
}
// #endregion members

// #region sender
// 3. The sender says which interface its group datagrams leave by:
//    loopback, so that they never reach the network. No SO_BROADCAST.
const sender = dgram.createSocket('udp4');
sender.bind(0, '127.0.0.1');
await once(sender, 'listening');
sender.setMulticastInterface('127.0.0.1');
sender.on('message', (msg, rinfo) => {
  console.log(`the sender got "${msg}" from ${rinfo.address}:${rinfo.port}`);
});
sender.send('DISCOVER', port, GROUP, report);
await sleep(100);

// 4. Members bound to the group's address hear nothing else: not even a
//    broadcast to their own port.
heard = 0;
sender.setBroadcast(true);
sender.send('DISCOVER', port, '127.255.255.255', report);
await sleep(50);
console.log(`a broadcast to 127.255.255.255:${port} reached ${heard}`);
// #endregion sender

for (const socket of [...members, sender]) socket.close();
