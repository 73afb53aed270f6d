// Demo · lesson 05: the largest datagram, over IPv4 and over IPv6, and one
// byte more.
//
// Run:   node --import tsx lessons/05-large-datagrams/limits.ts
//
// It prints:
//   udp4  65,507 B: arrived whole, in one 'message' event of 65,507 B
//   udp4  65,508 B: failed, in the send callback: EMSGSIZE
//   udp6  65,527 B: arrived whole, in one 'message' event of 65,527 B
//   udp6  65,528 B: failed, in the send callback: EMSGSIZE

import dgram from 'node:dgram';
import { once } from 'node:events';

// 65,535 (the largest IP packet) - 20 (IPv4 header) - 8 (UDP header), and
// 65,535 (the largest IPv6 payload) - 8 (UDP header).
const LIMITS = [
  { type: 'udp4', host: '127.0.0.1', max: 65_507 },
  { type: 'udp6', host: '::1', max: 65_527 },
] as const;

for (const { type, host, max } of LIMITS) {
  const receiver = dgram.createSocket(type);
  const sender = dgram.createSocket(type);
  receiver.bind(0, host);
  await once(receiver, 'listening');
  const { port } = receiver.address();
  // #region send
  for (const size of [max, max + 1]) {
    const arrived = once(receiver, 'message');
    // The error, if any, comes to the callback and nowhere else.
    const err = await new Promise<Error | null>((resolve) =>
      sender.send(Buffer.alloc(size), port, host, resolve));
    const label = `${type}  ${size.toLocaleString('en-US')} B:`;
    if (err) {
      const { code } = err as NodeJS.ErrnoException;
      console.log(`${label} failed, in the send callback: ${code}`);
      continue;
    }
    const [msg] = (await arrived) as [Buffer];
    console.log(`${label} arrived whole, in one 'message' event of ` +
      `${msg.length.toLocaleString('en-US')} B`);
  }
  // #endregion send
  sender.close();
  receiver.close();
}
