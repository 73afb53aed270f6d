// A correct lab 05 written differently: options read from a table, the bind awaited with
// events.once, datagrams read with `for await` over events.on, replies sent by one helper.

import dgram from 'node:dgram';
import { on, once } from 'node:events';
import { DEFAULTS, Reassembler, type Event } from './reassembler.ts';

const table = {
  '--port': '8080',
  '--host': '127.0.0.1',
  '--quiet-gap': String(DEFAULTS.quietGapMs),
  '--idle': String(DEFAULTS.idleMs),
  '--done-memory': String(DEFAULTS.doneMemoryMs),
  '--max-transfers': String(DEFAULTS.maxTransfers),
};
type Flag = keyof typeof table;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const flag = args[i] as Flag;
  if (!(flag in table) || args[i + 1] === undefined) {
    console.error(`Unknown option or missing value: ${args[i]}`);
    process.exit(2);
  }
  table[flag] = args[i + 1]!;
}
const whole = (flag: Flag, max: number) => {
  const text = table[flag];
  if (/^\d+$/.test(text) && Number(text) <= max) return Number(text);
  console.error(`${flag} wants a whole number up to ${max}, not ${JSON.stringify(text)}`);
  process.exit(2);
};

const host = table['--host'];
const port = whole('--port', 65_535);
const gap = whole('--quiet-gap', 3_600_000);
const assembler = new Reassembler({
  quietGapMs: gap,
  idleMs: whole('--idle', 3_600_000),
  doneMemoryMs: whole('--done-memory', 3_600_000),
  maxTransfers: whole('--max-transfers', 1_000_000),
});

const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');

function perform(events: Event[]): void {
  for (const e of events) {
    if (e.type === 'reply') socket.send(e.text, e.to.port, e.to.address, (err) => err && console.error(`send to ${e.to.address}:${e.to.port}: ${err.message}`));
    else if (e.type === 'delivered') console.log(`got transfer #${e.id} (${e.data.length} bytes) from ${e.from.address}:${e.from.port}`);
    else console.log(`forgot idle transfer #${e.id} from ${e.from.address}:${e.from.port} (${e.received}/${e.count})`);
  }
}

try {
  socket.bind(port, host);
  await once(socket, 'listening');
} catch (err) {
  console.error(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
  process.exit(1);
}
socket.setRecvBufferSize(2 * 1024 * 1024);
console.log(`UDP server listening on ${socket.address().address}:${socket.address().port}`);

const timer = setInterval(() => perform(assembler.tick()), Math.max(5, Math.floor(gap / 3)));
process.on('SIGINT', () => {
  clearInterval(timer);
  socket.close();
});

try {
  for await (const [msg, rinfo] of on(socket, 'message') as AsyncIterable<[Buffer, dgram.RemoteInfo]>) {
    try {
      perform(assembler.receive({ address: rinfo.address.replace(/^::ffff:/, ''), port: rinfo.port }, msg));
    } catch (err) {
      console.error(`could not handle a datagram from ${rinfo.address}:${rinfo.port}: ${String(err)}`);
    }
  }
} catch (err) {
  console.error(`socket failed: ${(err as Error).message}`);
  clearInterval(timer);
}
