// Demo · lesson 09: the Sorcerer's Apprentice (RFC 1123, 4.2.3.1), live.
//
// Run:  node --import tsx lessons/09-reliability/apprentice.ts
//
// A sender sends 20 blocks, stop-and-wait, with a timeout of 40 ms, to a
// receiver that acknowledges every DATA it gets, duplicates too. Once, its
// ACK of block 3 is late: 60 ms. It prints:
//   resends on every ACK:   20 blocks, 38 DATA sent
//   ignores a duplicate:    20 blocks, 21 DATA sent

import dgram from 'node:dgram';
import { once } from 'node:events';

const BLOCKS = 20;
const TIMEOUT_MS = 40;
const LATE_MS = 60;
const HOST = '127.0.0.1';
const failed = (err: Error | null) => err && console.error(err.message);

async function transfer(apprentice: boolean): Promise<number> {
  const sender = dgram.createSocket('udp4').bind(0, HOST);
  const receiver = dgram.createSocket('udp4').bind(0, HOST);
  await Promise.all([once(sender, 'listening'), once(receiver, 'listening')]);
  const [to, back] = [receiver.address().port, sender.address().port];

  // The receiver: an ACK for every DATA, the first ACK of block 3 late.
  let late = true;
  receiver.on('message', (data) => {
    const packet = Buffer.from([0, 4, 0, data[3]!]);
    const ack = () => receiver.send(packet, back, HOST, failed);
    if (data[3] === 3 && late) setTimeout(ack, LATE_MS);
    else ack();
    late &&= data[3] !== 3;
  });

  // The sender: a timer for the block in flight, and the ACK handler.
  let sent = 0;
  let acked = 0;
  let timer: NodeJS.Timeout | undefined;
  const send = (block: number) => {
    sent++;
    sender.send(Buffer.from([0, 3, 0, block]), to, HOST, failed);
    clearTimeout(timer);
    timer = setTimeout(() => send(acked + 1), TIMEOUT_MS);
  };
  const done = new Promise<void>((resolve) => {
    sender.on('message', (data) => {
      const block = data[3]!;
      // #region fix
      if (!apprentice && block <= acked) return; // a duplicate: no news
      // #endregion fix
      acked = Math.max(acked, block);
      if (block < BLOCKS) return send(block + 1);
      clearTimeout(timer);
      resolve();
    });
  });
  send(1);
  await done;
  await new Promise((resolve) => setTimeout(resolve, 2 * LATE_MS));
  clearTimeout(timer);
  sender.close();
  receiver.close();
  return sent;
}

const naive = await transfer(true);
console.log(`resends on every ACK:   ${BLOCKS} blocks, ${naive} DATA sent`);
const careful = await transfer(false);
console.log(`ignores a duplicate:    ${BLOCKS} blocks, ${careful} DATA sent`);
