// Demo · lesson 09: a TFTP client that reads one file, and says where the
// packets came from.
//
// Run:  node --import tsx lessons/09-reliability/get.ts --port 6969 \
//         --file lesson.md
//
// It prints, for example:
//   RRQ "lesson.md" sent to 127.0.0.1:6969 from port 50123
//   DATA 1 came from port 41234: the transfer's port, not 6969
//   32 blocks, 16,021 bytes in 12.3 ms

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6969' },
    host: { type: 'string', default: '127.0.0.1' },
    file: { type: 'string', default: 'lesson.md' },
  },
});
const PORT = Number(values.port);
const started = performance.now();
const socket = dgram.createSocket('udp4');
const parts: Buffer[] = [];
let expected = 1;

// UDP never says "nobody is there": without a deadline we might wait
// for ever.
const timer = setTimeout(() => stop('No answer within 3 s.', 1), 3000);
function stop(why: string, code = 0) {
  clearTimeout(timer);
  console.log(why);
  socket.close();
  process.exitCode = code;
}

socket.on('message', (msg, from) => {
  const op = msg.length >= 4 ? msg.readUInt16BE(0) : 0;
  if (op === 5) {
    const text = msg.toString('utf8', 4, msg.length - 1);
    return stop(`ERROR ${msg.readUInt16BE(2)}: ${text}`, 1);
  }
  if (op !== 3) return;
  const block = msg.readUInt16BE(2);
  if (expected === 1) {
    console.log(`DATA 1 came from port ${from.port}: ` +
      `the transfer's port, not ${PORT}`);
  }
  // A duplicate (our ACK was lost) is acknowledged again, not kept twice.
  if (block === (expected & 0xffff)) {
    parts.push(msg.subarray(4));
    expected++;
  }
  const last = msg.length - 4 < 512 && block === ((expected - 1) & 0xffff);
  // Every ACK goes where the DATA came from: the server's transfer port.
  // The last one must be on its way before the socket closes.
  const ack = Buffer.from([0, 4, msg[2]!, msg[3]!]);
  socket.send(ack, from.port, from.address, (err) => {
    if (err) return stop(err.message, 1);
    if (!last) return;
    const bytes = Buffer.concat(parts).length.toLocaleString('en-US');
    const ms = (performance.now() - started).toFixed(1);
    const n = expected - 1;
    stop(`${n} block${n === 1 ? '' : 's'}, ${bytes} bytes in ${ms} ms`);
  });
});

const name = values.file;
const rrq = Buffer.concat([
  Buffer.from([0, 1]),
  Buffer.from(`${name}\0octet\0`),
]);
socket.send(rrq, PORT, values.host, (err) => {
  if (err) return stop(err.message, 1);
  const from = `from port ${socket.address().port}`;
  console.log(`RRQ "${name}" sent to ${values.host}:${PORT} ${from}`);
});
