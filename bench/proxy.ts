// How fast the impairment proxy forwards with no impairment, next to direct loopback measured in
// the same run: median of N runs of a closed-loop client (16, then 64 datagrams of 64 bytes in
// flight) against a minimal echo server, each in its own process.
//   node --import tsx bench/proxy.ts [runs] [seconds per run]
// Rows: the client talking to the echo server directly (the baseline), then through the proxy
// started as a learner starts it (`tools/bin/workbook.ts proxy`). Each round trip through the
// proxy is two datagrams it forwards: the request and the reply.

import dgram from 'node:dgram';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';

const runs = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 2);
const WINDOWS = [16, 64];
const PAYLOAD = Buffer.alloc(64, 0x61);
const WARM_UP_MS = 300;

const ECHO = `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, r) => s.send(m, r.port, r.address, () => {}));
s.bind(0, '127.0.0.1', () => console.log('UDP server listening on 127.0.0.1:' + s.address().port));
`;

/** Starts a process and resolves with it and the port named in the first line matching `ready`. */
function start(args: string[], ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ready line from ${args.join(' ')}:\n${out}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)));
  });
}

/** Round trips per second with `window` datagrams in flight, measured after a warm-up. */
async function measure(port: number, window: number): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  socket.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let replies = 0;
  let lastReply = performance.now();
  const send = () => socket.send(PAYLOAD, () => {});
  socket.on('message', () => {
    replies++;
    lastReply = performance.now();
    send();
  });
  // Loopback may drop a datagram under load (FACTS 7): refill the window when replies stall.
  const refill = setInterval(() => {
    if (performance.now() - lastReply > 20) for (let i = 0; i < window; i++) send();
  }, 20);
  for (let i = 0; i < window; i++) send();
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  const [count0, t0] = [replies, performance.now()];
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const rate = (replies - count0) / ((performance.now() - t0) / 1000);
  clearInterval(refill);
  socket.close();
  return rate;
}

const echo = await start(['-e', ECHO], /listening on 127\.0\.0\.1:(\d+)/);
const proxy = await start(
  ['--import', TSX_IMPORT, path.join(ROOT, 'tools', 'bin', 'workbook.ts'), 'proxy', '--target', `127.0.0.1:${echo.port}`, '--seed', '1'],
  /Proxy listening on 127\.0\.0\.1:(\d+)/,
);
const direct = WINDOWS.map(() => [] as number[]);
const through = WINDOWS.map(() => [] as number[]);
try {
  // Interleaved, so that a slow moment of the machine hits every row alike.
  for (let i = 0; i < runs; i++) {
    for (const [w, window] of WINDOWS.entries()) {
      direct[w]!.push(await measure(echo.port, window));
      through[w]!.push(await measure(proxy.port, window));
    }
  }
} finally {
  proxy.child.kill('SIGINT');
  echo.child.kill();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cell = (n: number, unit: string) => `${Math.round(n).toLocaleString('en-US')} ${unit}`.padStart(17);
const row = (label: string, values: number[], unit: string) => console.log(label.padEnd(34) + values.map((v) => cell(v, unit)).join(''));
console.log(`64-byte datagrams, closed loop, median of ${runs} runs of ${seconds} s:`);
console.log(' '.repeat(34) + WINDOWS.map((w) => `${w} in flight`.padStart(17)).join(''));
row('direct loopback (baseline)', direct.map(median), 'rt/s');
row('through the proxy', through.map(median), 'rt/s');
row('datagrams forwarded by the proxy', through.map((xs) => 2 * median(xs)), '/s  ');
