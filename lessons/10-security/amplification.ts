// Demo · lesson 10: bytes out over bytes in, before the fix and after.
//
// Run:   node --import tsx lessons/10-security/amplification.ts --port 41234
//        with the demo server running (npm start -- demo 10)
//
// "Before" is a Quote of the Day server as RFC 865 describes it, started
// here: any datagram gets the quotation. "After" is the demo server at
// --port. Each request goes from an address of its own (127.0.10.2 ...), as
// an attacker's forged ones would, where the system allows it (Linux does).

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const AFTER = Number(values.port ?? 41234);
const QUOTE = Buffer.from('x'.repeat(177)); // as long as the demo's quotation

// 1. Before: RFC 865, "any datagram gets a quote".
const naive = dgram.createSocket('udp4');
naive.on('message', (_msg, rinfo) =>
  naive.send(QUOTE, rinfo.port, rinfo.address, () => {}));
await new Promise<void>((done) => naive.bind(0, '127.0.0.1', done));

// 2. One request from a fresh client; the bytes that come back in 500 ms.
let next = 2;
async function bytesBack(request: string, port: number): Promise<number> {
  const address = await free(`127.0.10.${next++}`) ?? '127.0.0.1';
  const client = dgram.createSocket('udp4');
  let back = 0;
  client.on('message', (reply) => (back += reply.length));
  await new Promise<void>((done) => client.bind(0, address, done));
  client.send(request, port, '127.0.0.1');
  await new Promise((wait) => setTimeout(wait, 500));
  client.close();
  return back;
}
async function free(address: string): Promise<string | undefined> {
  const probe = dgram.createSocket('udp4');
  const ok = await new Promise<boolean>((done) => {
    probe.once('error', () => done(false));
    probe.bind(0, address, () => done(true));
  });
  probe.close();
  return ok ? address : undefined;
}

// 3. The same requests to each server: bytes out / bytes in.
const requests = [['QUOTE', 'QUOTE'], ['QUOTE padded', 'QUOTE'.padEnd(64)],
  ['a newline', '\n']];
console.log('request        bytes in   before (RFC 865)   after (cookies)');
const results = await Promise.all((requests as [string, string][]).map(
  async ([name, request]) => [name, request, ...await Promise.all([
    bytesBack(request, naive.address().port), bytesBack(request, AFTER)])]));
for (const [name, request, before, after] of results as
    [string, string, number, number][]) {
  const out = (n: number) => `${n} B ×${(n / request.length).toFixed(1)}`;
  console.log(`${name.padEnd(14)} ${String(request.length).padStart(8)}   ` +
    `${out(before).padEnd(18)} ${out(after)}`);
}
naive.close();
if (results.every((row) => row[3] === 0)) {
  console.log(`Nothing came back from port ${AFTER}: is the demo server ` +
    'running? (npm start -- demo 10)');
}
// It prints, with the demo server running:
//   request        bytes in   before (RFC 865)   after (cookies)
//   QUOTE                 5   177 B ×35.4        0 B ×0.0
//   QUOTE padded         64   177 B ×2.8         39 B ×0.6
//   a newline             1   177 B ×177.0       0 B ×0.0
