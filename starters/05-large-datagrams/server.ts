// Lab 05 · Large datagrams: the server that puts transfers back together.
//
// It receives chunks (the wire format is in chunks.ts), reassembles each
// transfer with the Reassembler (reassembler.ts), and answers DONE, MISSING,
// ERROR or BUSY. Every time limit is an option, so that a test can run in a
// second what takes a user 30:
//
//   --port P            the port (default 8080; 0 lets the system choose)
//   --host H            the address to bind (default 127.0.0.1)
//   --quiet-gap MS      quiet time before MISSING (default 200)
//   --idle MS           quiet time before an incomplete transfer is
//                       dropped (default 10000)
//   --done-memory MS    how long a completed transfer is remembered, to
//                       answer its late duplicates (default 30000)
//   --max-transfers N   transfers in progress at once (default 64)
//
// Run it:   node --import tsx labs/05-large-datagrams/server.ts
// Send it:  node --import tsx lessons/05-large-datagrams/send.ts --port 8080
// Check it: npm start -- check 05

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import { DEFAULTS, Reassembler, type Event } from './reassembler.ts';

const OPTIONS = {
  port: { type: 'string', default: '8080' },
  host: { type: 'string', default: '127.0.0.1' },
  'quiet-gap': { type: 'string', default: String(DEFAULTS.quietGapMs) },
  idle: { type: 'string', default: String(DEFAULTS.idleMs) },
  'done-memory': { type: 'string', default: String(DEFAULTS.doneMemoryMs) },
  'max-transfers': { type: 'string', default: String(DEFAULTS.maxTransfers) },
} as const;

function options() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (err) {
    // An unknown option, or one without its value: one line, exit code 2.
    console.error((err as Error).message.split('\n')[0]);
    process.exit(2);
  }
}
const values = options();

/** A whole number from an option, or one line on stderr and exit code 2. */
function integer(name: string, text: string, max: number): number {
  // Number('') is 0 and Number('8080.5') is 8080.5, and bind() would take
  // either without a word: check the text itself.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n <= max) return n;
  console.error(`--${name} must be a whole number from 0 to ${max}: "${text}"`);
  process.exit(2);
}

const HOST = values.host;
const PORT = integer('port', values.port, 65_535);
const HOUR = 3_600_000;
const limits = {
  quietGapMs: integer('quiet-gap', values['quiet-gap'], HOUR),
  idleMs: integer('idle', values.idle, HOUR),
  doneMemoryMs: integer('done-memory', values['done-memory'], HOUR),
  maxTransfers: integer('max-transfers', values['max-transfers'], 100_000),
};
const reassembler = new Reassembler(limits);

// A receive buffer of 1 MiB instead of the default 208 KiB: room for about
// 450 chunks that arrive while this process is busy. Linux grants up to
// net.core.rmem_max. Senders must still pace (see send-large.ts): a buffer
// only postpones the loss of a burst.
const socket = dgram.createSocket({
  type: HOST.includes(':') ? 'udp6' : 'udp4',
  recvBufferSize: 1 << 20,
});

function act(event: Event): void {
  switch (event.type) {
    case 'reply': {
      const { address, port } = event.to;
      socket.send(event.text, port, address, (err) => {
        if (err) console.error(`Could not reply to ${address}:${port}: ${err}`);
      });
      if (!event.text.startsWith('DONE')) {
        console.log(`→ ${address}:${port} ${event.text.slice(0, 72)}`);
      }
      return;
    }
    case 'delivered': {
      // Here a real server would hand the data to its application; this one
      // says what it got.
      const { address, port } = event.from;
      console.log(`Transfer ${event.id} from ${address}:${port} complete: ` +
        `${event.data.length} B, sha256 ${event.sha256.slice(0, 16)}…`);
      return;
    }
    case 'dropped': {
      const { address, port } = event.from;
      console.log(`Dropped transfer ${event.id} from ${address}:${port}, ` +
        `idle with ${event.received} of ${event.count} chunks`);
      return;
    }
  }
}

socket.on('message', (msg, rinfo) => {
  // Lesson 04: nothing a stranger sends may end the server.
  try {
    const from = { address: rinfo.address.replace(/^::ffff:/, ''),
      port: rinfo.port };
    for (const event of reassembler.receive(from, msg)) act(event);
  } catch (err) {
    console.error(`Could not handle ${msg.length} B from ` +
      `${rinfo.address}:${rinfo.port}: ${err}`);
  }
});

// Time makes things due too (MISSING after a quiet gap, drops after idling):
// ask the reassembler a few times per quiet gap.
const every = Math.max(5, Math.min(50, limits.quietGapMs / 4));
const ticker = setInterval(() => {
  for (const event of reassembler.tick()) act(event);
}, every);

socket.on('error', (err: NodeJS.ErrnoException) => {
  if (err.syscall === 'bind') {
    console.error(err.code === 'EADDRINUSE'
      ? `Port ${PORT} on ${HOST} is already in use: choose another --port.`
      : `Could not bind ${HOST}:${PORT}: ${err.message}`);
    clearInterval(ticker);
    socket.close();
    process.exitCode = 1;
  } else {
    console.error(`Socket error: ${err.message}`);
  }
});

socket.on('listening', () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('Shutting down');
    clearInterval(ticker);
    socket.close();
  });
}

socket.bind(PORT, HOST);
