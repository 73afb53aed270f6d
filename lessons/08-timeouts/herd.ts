// Demo · lesson 08: the thundering herd, drawn.
//
// Run:   node --import tsx lessons/08-timeouts/herd.ts --full
//        (without --full it runs twice as fast: a quick look, the same
//        shape, a little noisier)
//
// 50 clients send a request at the same moment to a server that loses
// everything for its first 2 s. Each waits 200 ms for a reply, then
// min(1000, 100 × 2^n) ms (no jitter) or random() times that (full
// jitter), and tries again. One character is 100 ms; its height is how
// many datagrams reached the server in it. It prints, for instance:
//
//                 0 s       1 s       2 s       3 s       4 s
//   outage        ▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔
//   no jitter     █  █   █     █         █            peak after it: 50
//   full jitter   █ ▅▄▁▄▄▁▃▃▃▂▂▁▂▂▂▁▂▁▂▂▃▁▁▂▁▁▁ ▁     peak after it: 13

import dgram from 'node:dgram';

const SCALE = process.argv.includes('--full') ? 1 : 0.5;
const [CLIENTS, ATTEMPTS, OUTAGE_MS, BUCKET_MS] = [50, 10, 2000, 100];
const [TIMEOUT_MS, BASE_MS, CAP_MS] = [200, 100, 1000];
const BARS = ' ▁▂▃▄▅▆▇█';
const noop = () => {}; // a lost datagram is this demo's subject, not an error

function client(port: number, jitter: boolean): Promise<void> {
  return new Promise((done) => {
    const socket = dgram.createSocket('udp4');
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.close();
      done();
    };
    socket.once('message', finish);
    // #region attempt
    const attempt = (n: number) => {
      if (n === ATTEMPTS) return finish();
      socket.send('request', port, '127.0.0.1', noop);
      // 1. The whole difference: a random part of the backoff, or all of it.
      const backoff = Math.min(CAP_MS, BASE_MS * 2 ** n);
      const wait = TIMEOUT_MS + (jitter ? Math.random() : 1) * backoff;
      timer = setTimeout(() => attempt(n + 1), wait * SCALE);
    };
    // #endregion attempt
    attempt(0);
  });
}

/** One herd against one server: datagrams received in each bucket. */
async function herd(jitter: boolean): Promise<number[]> {
  const server = dgram.createSocket('udp4');
  await new Promise<void>((ready) => server.bind(0, '127.0.0.1', ready));
  const counts: number[] = [];
  let started = 0; // the clock starts as the clients do
  server.on('message', (msg, rinfo) => {
    const ms = (performance.now() - started) / SCALE;
    // Each character centred on its 100 ms: a burst at 2300 ms, a little
    // late as timers are, stays in one.
    const bucket = Math.round(ms / BUCKET_MS);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
    // 2. Down for the first 2 s, then up: everyone who asks is answered.
    if (ms >= OUTAGE_MS) server.send('ok', rinfo.port, rinfo.address, noop);
  });
  const { port } = server.address();
  started = performance.now();
  const clients = Array.from({ length: CLIENTS }, () => client(port, jitter));
  await Promise.all(clients);
  server.close();
  return Array.from(counts, (n) => n ?? 0);
}

const [plain, jittered] = await Promise.all([herd(false), herd(true)]);
const draw = (counts: number[]) =>
  counts.map((n) => BARS[Math.ceil((n / CLIENTS) * 8)]).join('').padEnd(36);
// 3. What the server meets when it comes back: the peak after the outage.
const peak = (counts: number[]) =>
  Math.max(...counts.slice(OUTAGE_MS / BUCKET_MS));
console.log(' '.repeat(14) + ['0 s', '1 s', '2 s', '3 s', '4 s']
  .map((s) => s.padEnd(10)).join('').trimEnd());
console.log(`${'outage'.padEnd(14)}${'▔'.repeat(OUTAGE_MS / BUCKET_MS)}`);
const rows = { 'no jitter': plain, 'full jitter': jittered };
for (const [name, counts] of Object.entries(rows)) {
  const line = name.padEnd(14) + draw(counts);
  console.log(`${line}peak after it: ${peak(counts)}`);
}
if (SCALE !== 1) console.log('(twice as fast; --full for the real thing)');
