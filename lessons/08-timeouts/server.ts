// Demo · lesson 08: a server that drains before it stops.
//
// Run:   node --import tsx lessons/08-timeouts/server.ts   (or: npm start
//        -- demo 08); --drain-ms 2000 is how long it waits for its work
// Poke:  npm start -- send 127.0.0.1:41234 "SLOW 3000 hi" --timeout 4000
//        and press Ctrl+C in the server's terminal before the reply comes
//
// It answers "ECHO <text>" with <text>, "SLOW <ms> <text>" with <text>
// after <ms> (10 s at most), anything else with "Unknown command", and
// keeps a "#<id> " tag in front, as lesson 06's server does. It prints:
//   UDP server listening on 127.0.0.1:41234
//   SIGINT: no new requests; finishing 1 in progress (2000 ms at most)
//   Sent "hi" to 127.0.0.1:50123
//   Closed: exit code 0

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
    'drain-ms': { type: 'string', default: '2000' },
  },
});
const PORT = Number(values.port);
const DRAIN_MS = Number(values['drain-ms']);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error('--port must be a whole number from 0 to 65535');
  process.exit(2);
}
if (!Number.isInteger(DRAIN_MS) || DRAIN_MS < 0) {
  console.error('--drain-ms must be a whole number of milliseconds');
  process.exit(2);
}

const socket = dgram.createSocket('udp4');
const timers = new Set<NodeJS.Timeout>(); // the SLOW replies still to come
let stopping = false;
let closed = false;

// #region answer
function answer(text: string): { reply: string; after: number } {
  const slow = /^SLOW (\d{1,5}) ([^]*)$/.exec(text);
  if (slow && Number(slow[1]) <= 10_000) {
    return { reply: slow[2]!, after: Number(slow[1]) };
  }
  if (text.startsWith('ECHO ')) return { reply: text.slice(5), after: 0 };
  return { reply: 'Unknown command', after: 0 };
}

socket.on('message', (msg, rinfo) => {
  // 1. Once stopping, a new request gets nothing: the client will retry.
  if (stopping) return;
  const [, id = '', text = ''] = /^(#[\w-]{1,16} )?([^]*)$/
    .exec(msg.toString('utf8'))!;
  const { reply, after } = answer(text);
  // 2. Each SLOW reply is a timer: the work "in progress".
  const timer = setTimeout(() => {
    socket.send(id + reply, rinfo.port, rinfo.address, () => {
      console.log(`Sent ${JSON.stringify(reply)} to ` +
        `${rinfo.address}:${rinfo.port}`);
      timers.delete(timer);
      if (stopping && timers.size === 0) close(0);
    });
  }, after);
  timers.add(timer);
});
// #endregion answer

// #region drain
// 3. The first Ctrl+C (or SIGTERM) drains; a second one ends at once.
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(130);
  stopping = true;
  console.log(`${signal}: no new requests; finishing ${timers.size}` +
    ` in progress (${DRAIN_MS} ms at most)`);
  if (timers.size === 0) return close(0);
  setTimeout(() => {
    console.error(`Drain deadline passed: ${timers.size} abandoned`);
    close(1);
  }, DRAIN_MS).unref(); // 4. unref: this timer alone keeps nothing alive
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// #endregion drain

function close(code: number): void {
  if (closed) return;
  closed = true;
  for (const timer of timers) clearTimeout(timer);
  process.exitCode = code;
  socket.close(() => console.log(`Closed: exit code ${code}`));
}

socket.on('error', (err) => {
  console.error(`Socket error: ${err.message}`);
  socket.close();
  process.exitCode = 1;
});
socket.bind(PORT, values.host, () => {
  const { address, port } = socket.address();
  console.log(`UDP server listening on ${address}:${port}`);
});
