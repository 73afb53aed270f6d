// Lab 07 · Broadcast: find the discovery servers from a terminal, with the
// discover() of discover.ts. Nothing to change here.
//
// Run it:   node --import tsx labs/07-broadcast/find.ts --port 8080
//           (--timeout MS and --probes N too; the defaults are 1000 and 3)
//
// It prints, with two servers running:
//   alpha            127.0.0.1:7001
//   bravo            127.0.0.1:7002

import { parseArgs } from 'node:util';
import { discover } from './discover.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    timeout: { type: 'string', default: '1000' },
    probes: { type: 'string', default: '3' },
  },
});
const port = Number(values.port);
const timeoutMs = Number(values.timeout);
const probes = Number(values.probes);

try {
  const servers = await discover({ port, timeoutMs, probes });
  if (servers.length === 0) {
    console.log(`No server answered on port ${port} within ${timeoutMs} ms.`);
  }
  for (const { name, address, port: service } of servers) {
    console.log(`${name.padEnd(16)} ${address}:${service}`);
  }
} catch (err) {
  console.error(`Discovery failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
