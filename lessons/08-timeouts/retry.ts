// Demo · lesson 08: a retry, answered by the reply to the first attempt.
//
// Run:   node --import tsx lessons/08-timeouts/retry.ts --port 41234
//        (with the demo server running: npm start -- demo 08)
//
// It sends "#demo1 SLOW 700 worth the wait", waits 250 ms for each attempt,
// then a jittered backoff, and tries again. It prints, for instance:
//     0 ms  attempt 1 sent
//   251 ms  no reply yet: waiting 62 ms = 0.62 × min(800, 100 × 2^0)
//   314 ms  attempt 2 sent
//   ...
//   701 ms  "#demo1 worth the wait": the answer
//  1015 ms  "#demo1 worth the wait": a duplicate, ignored
// The answer is attempt 1's reply (SLOW 700 answers each attempt 700 ms
// after it), though nothing in it says so: all attempts carry one id.

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const [PORT, HOST] = [Number(values.port), values.host];
const [ATTEMPT_MS, BASE_MS, CAP_MS, ATTEMPTS] = [250, 100, 800, 4];
const TAG = '#demo1 '; // one id for every attempt of this request

const socket = dgram.createSocket('udp4');
const started = performance.now();
const log = (text: string) =>
  console.log(`${Math.round(performance.now() - started)} ms`.padStart(8),
    ` ${text}`);
let timer: NodeJS.Timeout | undefined;
let answered = false;

// #region answer
// 1. One socket hears the replies to every attempt, late ones included.
socket.on('message', (msg) => {
  const text = msg.toString('utf8');
  if (!text.startsWith(TAG)) return;
  if (answered) return log(`${JSON.stringify(text)}: a duplicate, ignored`);
  log(`${JSON.stringify(text)}: the answer`);
  answered = true;
  clearTimeout(timer);
  // 2. Listen a little longer, only to see the duplicates arrive.
  setTimeout(() => socket.close(), 700);
});
// #endregion answer

function attempt(n: number): void {
  socket.send(`${TAG}SLOW 700 worth the wait`, PORT, HOST, (err) => {
    if (err) console.error(`Send failed: ${err.message}`);
  });
  log(`attempt ${n + 1} sent`);
  timer = setTimeout(() => {
    if (n + 1 === ATTEMPTS) {
      log('no reply to any attempt: giving up');
      socket.close();
      return;
    }
    // 3. Full jitter: anywhere from 0 to the capped exponential backoff.
    const r = Math.random();
    const wait = Math.round(r * Math.min(CAP_MS, BASE_MS * 2 ** n));
    log(`no reply yet: waiting ${wait} ms = ${r.toFixed(2)} × ` +
      `min(${CAP_MS}, ${BASE_MS} × 2^${n})`);
    timer = setTimeout(() => attempt(n + 1), wait);
  }, ATTEMPT_MS);
}
socket.on('error', (err) => {
  console.error(`Socket error: ${err.message}`);
  socket.close();
});
attempt(0);
