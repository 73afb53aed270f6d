// Demo · lesson 02: a client for the echo server. Sends one datagram, prints
// the reply.
//
// Run:   node --import tsx lessons/02-basic-server/client.ts \
//          --port 41234 --message "hi there"
//
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
const PORT = Number(values.port);
const HOST = values.host;

const client = dgram.createSocket('udp4');
const started = performance.now();

// UDP never says "nobody is there": without a timer, a lost datagram means
// waiting forever.
const timer = setTimeout(() => {
  console.error(`No reply from ${HOST}:${PORT} within 2 s.`);
  console.error('Is the server running?');
  client.close();
  process.exitCode = 1;
}, 2000);

client.on('message', (msg, rinfo) => {
  const ms = (performance.now() - started).toFixed(1);
  const from = `${rinfo.address}:${rinfo.port}`;
  console.log(`Reply from ${from} after ${ms} ms: ${msg.toString('utf8')}`);
  clearTimeout(timer);
  client.close();
});

client.on('error', (err) => {
  console.error(`Client error: ${err.message}`);
  clearTimeout(timer);
  client.close();
  process.exitCode = 1;
});

// The OS gives the client a free port when it first sends; the server sees
// it in rinfo.port.
const payload = Buffer.from(values.message, 'utf8');
client.send(payload, PORT, HOST, (err) => {
  if (err) console.error(`Send failed: ${err.message}`);
  else console.log(`Sent ${payload.length} bytes to ${HOST}:${PORT}`);
});
