// Run by the lab 01 checker in a separate process, so that a crash cannot take the checker down:
//   node --import tsx icmp-probe.ts <request.ts> <closed port>
// Calls request() against a port where nothing listens (the kernel answers with an ICMP
// "port unreachable") and prints how it settled as one JSON line.

import { pathToFileURL } from 'node:url';

const [file = '', port = '0'] = process.argv.slice(2);
const lab = (await import(pathToFileURL(file).href)) as {
  request: (host: string, port: number, payload: string, options: { timeoutMs: number }) => Promise<Buffer>;
};
try {
  const reply = await lab.request('127.0.0.1', Number(port), 'is anyone there?', { timeoutMs: 300 });
  console.log(JSON.stringify({ settled: 'resolved', length: reply.length }));
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.log(JSON.stringify({ settled: 'rejected', name: e?.name, code: e?.code, message: e?.message }));
}
// A socket left open would keep this process alive; that bug is another check's business.
process.exit(0);
