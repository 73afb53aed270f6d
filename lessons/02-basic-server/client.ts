// Demo · lesson 02: a client for the echo server. Sends one datagram and
// prints the reply, and how long it took.
//
// Run:   node --import tsx lessons/02-basic-server/client.ts \
//          --port 41234 --message "hi there"
// It prints:
//   Sent 8 bytes to 127.0.0.1:41234
//   Reply from 127.0.0.1:41234 after 0.4 ms: Echo: hi there

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
    message: { type: 'string', default: 'hello' },
  },
});
const { host: HOST, message } = values;
const PORT = Number(values.port);
if (!/^\d+$/.test(values.port) || PORT > 65535) {
  console.error(`--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

const client = dgram.createSocket(HOST.includes(':') ? 'udp6' : 'udp4');
const started = performance.now();
const stop = (problem?: string) => {
  if (problem) console.error(problem);
  process.exitCode = problem ? 1 : 0;
  clearTimeout(timer);
  client.close();
};
// 1. Nothing promises a reply: without a timer, we could wait forever.
const timer = setTimeout(() => stop('No reply within 2 s.'), 2000);

// 2. Connected, the socket hears only the server: the kernel drops any
//    stranger's datagram, so this is the reply.
client.on('message', (msg, rinfo) => {
  const ms = (performance.now() - started).toFixed(1);
  const from = `${rinfo.address}:${rinfo.port}`;
  console.log(`Reply from ${from} after ${ms} ms: ${msg.toString('utf8')}`);
  stop();
});
// 3. It may also hear "nothing listens there" (ECONNREFUSED), as an error.
client.on('error', (err) => stop(`Client error: ${err.message}`));

client.connect(PORT, HOST, (err?: Error) => {
  if (err) return stop(`Cannot reach ${HOST}: ${err.message}`);
  // 4. The OS gives the client a free port; the server sees it in rinfo.
  client.send(message, (sendErr) => {
    if (sendErr) return stop(`Send failed: ${sendErr.message}`);
    const size = Buffer.byteLength(message);
    console.log(`Sent ${size} bytes to ${HOST}:${PORT}`);
  });
});
