// How much lab 05's protocol puts on the wire to move 1 MiB through a network that misbehaves:
// the reference client (solutions/05-large-datagrams/send-large.ts, in this process) sends 1 MiB
// to the reference server (solutions/05-large-datagrams/server.ts, a process of its own, with its
// default time limits) through the impairment proxy at 10 % loss, 5 % reordering and 2 %
// duplication both ways; beside it, the same through the proxy with no impairment. Median of N
// runs of each, every run with its own seed.
//   node --import tsx bench/05-large-datagrams.ts [runs]
// "on the wire" counts what the two ends sent into the proxy, in both directions, lost datagrams
// included and the proxy's own duplicates not: UDP payloads (chunk headers and replies included),
// and the same with 28 B of IPv4 and UDP header per datagram. The payload is 1,048,576 B; the
// ideal at 10 % loss is 1 / 0.9 = 1.11 times the payload.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';
import { startProxy, type Impairments } from '../tools/net/index.ts';
import { sendLarge } from '../solutions/05-large-datagrams/send-large.ts';

const runs = Number(process.argv[2] ?? 7);
const PAYLOAD = 1 << 20;
const IP_UDP = 28;
const CASES: [string, Impairments][] = [
  ['no impairment (baseline)', {}],
  ['10 % loss, 5 % reordering, 2 % duplication', { loss: 0.1, reorder: 0.05, duplicate: 0.02 }],
];

const server = spawn(process.execPath, ['--import', TSX_IMPORT, path.join(ROOT, 'solutions', '05-large-datagrams', 'server.ts'), '--port', '0'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  server.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  server.once('exit', (code) => reject(new Error(`the server exited with code ${code}:\n${out}`)));
});
server.stdout!.resume();

interface Run {
  ms: number;
  datagrams: number;
  bytes: number;
  rounds: number;
}

async function once(impairments: Impairments, seed: number): Promise<Run> {
  let datagrams = 0;
  let bytes = 0;
  const proxy = await startProxy({
    target: { address: '127.0.0.1', port },
    impairments,
    seed,
    onDatagram: ({ fate }) => {
      datagrams++;
      bytes += fate.size;
    },
  });
  try {
    const data = Buffer.alloc(PAYLOAD, seed & 0xff);
    const started = performance.now();
    const result = await sendLarge('127.0.0.1', proxy.address.port, data, { maxRounds: 30 });
    return { ms: performance.now() - started, datagrams, bytes, rounds: result.rounds };
  } finally {
    await proxy.stop();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const x = (n: number) => `${n.toFixed(3)}×`;

try {
  console.log(`1 MiB (${PAYLOAD.toLocaleString('en-US')} B) from the reference client to the reference server, through the proxy; median of ${runs} runs`);
  for (const [name, impairments] of CASES) {
    const results: Run[] = [];
    for (let seed = 1; seed <= runs; seed++) results.push(await once(impairments, seed));
    const ratio = results.map((r) => r.bytes / PAYLOAD);
    const withHeaders = results.map((r) => (r.bytes + IP_UDP * r.datagrams) / PAYLOAD);
    console.log(`\n${name}`);
    console.log(`  time            ${median(results.map((r) => r.ms)).toFixed(0)} ms (from ${Math.min(...results.map((r) => r.ms)).toFixed(0)} to ${Math.max(...results.map((r) => r.ms)).toFixed(0)})`);
    console.log(`  rounds          ${median(results.map((r) => r.rounds))} (from ${Math.min(...results.map((r) => r.rounds))} to ${Math.max(...results.map((r) => r.rounds))})`);
    console.log(`  datagrams       ${median(results.map((r) => r.datagrams))} (874 chunks and 1 DONE at the least)`);
    console.log(`  on the wire     ${x(median(ratio))} the payload (from ${x(Math.min(...ratio))} to ${x(Math.max(...ratio))}); ${x(median(withHeaders))} with IPv4 and UDP headers`);
  }
} finally {
  server.kill();
}
