// Run by the lab 01 checker in a process of its own, so that what request() leaves behind (or a
// crash) cannot be mistaken for anything else:
//   node --import tsx request-probe.ts <request.ts> <port> <payload> <timeoutMs>
// <payload> is text, or "big:N" for N bytes of "a". Calls request('127.0.0.1', port, payload,
// { timeoutMs }), prints how it settled as one JSON line, then, a moment later, the resources
// still open (a UDP socket shows as "UDPWrap"). The checker stops it.

import { pathToFileURL } from 'node:url';

const [file = '', port = '0', spec = '', timeoutMs = '1000'] = process.argv.slice(2);
const lab = (await import(pathToFileURL(file).href)) as {
  request: (host: string, port: number, payload: Buffer | string, options: { timeoutMs: number }) => Promise<Buffer>;
};
const payload = spec.startsWith('big:') ? Buffer.alloc(Number(spec.slice(4)), 0x61) : spec;
const started = performance.now();
const ms = () => Math.round(performance.now() - started);
try {
  const reply = await lab.request('127.0.0.1', Number(port), payload, { timeoutMs: Number(timeoutMs) });
  console.log(JSON.stringify({ settled: 'resolved', buffer: Buffer.isBuffer(reply), length: reply?.length, ms: ms() }));
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.log(JSON.stringify({ settled: 'rejected', name: e?.name, code: e?.code, message: e?.message, ms: ms() }));
}
// What is still open 300 ms after request() settled (a socket being closed is gone by then).
setTimeout(() => {
  console.log(JSON.stringify({ open: process.getActiveResourcesInfo() }));
  process.exit(0);
}, 300);
