// Demo · lesson 06: any copy can answer. A second copy of the demo
// server starts, a round-robin proxy stands in front of both, and one
// client's requests go to the copies in turn.
//
// Run:   npm start -- demo 06 --serve        (copy A, in one terminal)
//        node --import tsx lessons/06-stateless-requests/copies.ts \
//          --port 41234                      (the port copy A printed)
//
// It prints:
//   copy A: 127.0.0.1:41234, the demo server
//   copy B: 127.0.0.1:43817, started by this demo
//   proxy:  127.0.0.1:51234, to each copy in turn
//   "#1 ECHO same answer" → "#1 same answer"      from copy A
//   "#2 ECHO same answer" → "#2 same answer"      from copy B
//   "#3 TIME" → "#3 2026-12-02T05:30:00.123Z"     from copy A
//   "#4 TIME" → "#4 2026-12-02T05:30:00.125Z"     from copy B

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startProxy } from '../../tools/net/index.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '41234' } },
});
const A = { address: '127.0.0.1', port: Number(values.port) };
const limit = (ms: number) => ({ signal: AbortSignal.timeout(ms) });

// 1. Copy B: the same program, in a process of its own, on a free port.
const file = fileURLToPath(new URL('./server.ts', import.meta.url));
const args = ['--import', 'tsx', file, '--port', '0'];
const copy = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 2] });
const [ready] = await once(copy.stdout!, 'data', limit(8000)).catch(() => {
  console.error('Copy B did not start within 8 s.');
  copy.kill();
  process.exit(1);
});
const B = { ...A, port: Number(/:(\d+)\s/.exec(`${ready}`)?.[1]) };

// #region proxy
// 2. The proxy hands each datagram to the next target: A, B, A, B...
//    It tells which one each reply came from.
const from: number[] = [];
const proxy = await startProxy({
  target: [A, B],
  onDatagram: (e) => e.direction === 'down' && from.push(e.target!.port),
});
console.log(`copy A: 127.0.0.1:${A.port}, the demo server`);
console.log(`copy B: 127.0.0.1:${B.port}, started by this demo`);
console.log(`proxy:  127.0.0.1:${proxy.address.port}, to each copy in turn`);
// #endregion proxy

// 3. One client asks the proxy, one request at a time, as if it were
//    the server. Nothing in the answers says which copy gave them.
const client = dgram.createSocket('udp4');
const to = proxy.address;
try {
  const requests = ['ECHO same answer', 'ECHO same answer', 'TIME', 'TIME'];
  for (const [i, request] of requests.entries()) {
    const data = `#${i + 1} ${request}`;
    client.send(data, to.port, to.address);
    const [reply] = await once(client, 'message', limit(3000));
    const line = `${JSON.stringify(data)} → ${JSON.stringify(`${reply}`)}`;
    const copyName = from[i] === A.port ? 'A' : 'B';
    console.log(`${line.padEnd(46)} from copy ${copyName}`);
  }
} catch {
  console.error(`No reply within 3 s: is the demo server on port ${A.port}?`);
  process.exitCode = 1;
}

// 4. Stop what this demo started: the client, the proxy and copy B.
client.close();
await proxy.stop();
copy.kill();
