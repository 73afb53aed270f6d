// What a window buys a TFTP transfer on a lossy, slow path: lab 09's server (solutions/ by
// default) sends 1 MiB to the checker's own client, which loses 5 % of the DATA and 5 % of the
// ACKs (seeded) and adds 20 ms of delay each way, first stop-and-wait, then with windowsize 16.
// TFTP's change of port per transfer does not pass the impairment proxy (its upstream socket is
// connected to the server's port), so the client does the impairing itself.
//   node --import tsx bench/09-reliability.ts [--runs 3] [--blksize 1428] [--target solutions]
// Prints, for each mode, the median time and goodput of the runs and the DATA packets the server
// sent against the minimum (one per block), then the ratio of the goodputs. The stop-and-wait
// runs are latency-bound, so they run at once; the windowed ones too.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanupAll } from '../tools/harness/cleanup.ts';
import { startServer } from '../tools/harness/server-process.ts';
import { resolveTarget } from '../tools/course/paths.ts';
import { seededBytes } from '../test/checkers/support/09-fixtures.ts';
import { fetchFile, type FetchResult } from '../test/checkers/support/09-tftp.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    blksize: { type: 'string', default: '1428' },
    target: { type: 'string', default: 'solutions' },
  },
});
const RUNS = Number(values.runs);
const BLKSIZE = Number(values.blksize);
const SIZE = 1024 * 1024;
const LOSS = 0.05;
const DELAY_MS = 20;
const TIMEOUT_MS = 100;
const WINDOW = 16;

const dir = mkdtempSync(path.join(tmpdir(), 'bench-09-'));
const data = seededBytes(1, SIZE);
writeFileSync(path.join(dir, 'mib.bin'), data);
const server = await startServer({
  file: path.join(resolveTarget(values.target), '09-reliability', 'server.ts'),
  args: ['--root', dir, '--timeout-ms', String(TIMEOUT_MS), '--retries', '20'],
  port: 0,
});

async function measure(windowsize: number): Promise<FetchResult[]> {
  const options: [string, string][] = [['blksize', String(BLKSIZE)]];
  if (windowsize > 1) options.push(['windowsize', String(windowsize)]);
  const runs = Array.from({ length: RUNS }, (_, i) =>
    fetchFile(server.endpoint, { filename: 'mib.bin', options, impair: { seed: 100 + i, loss: LOSS, delayMs: DELAY_MS }, idleMs: 10_000, deadlineMs: 600_000 }),
  );
  const results = await Promise.all(runs);
  for (const r of results) {
    if (!r.complete || !r.data.equals(data)) throw new Error(`a transfer failed: ${r.why ?? 'the data differ'}\n${r.trace.join('\n')}`);
  }
  return results;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const blocks = Math.floor(SIZE / BLKSIZE) + 1;
const rows: { name: string; ms: number; sent: number }[] = [];
try {
  console.log(`1 MiB in blocks of ${BLKSIZE} (${blocks} blocks), ${LOSS * 100} % of DATA and of ACKs lost, ${DELAY_MS} ms added each way,`);
  console.log(`server timeout ${TIMEOUT_MS} ms; median of ${RUNS} runs, each with its own seed\n`);
  for (const [name, w] of [['stop-and-wait', 1], [`windowsize ${WINDOW}`, WINDOW]] as const) {
    const results = await measure(w);
    rows.push({ name, ms: median(results.map((r) => r.elapsedMs)), sent: median(results.map((r) => r.dataReceived)) });
  }
  console.log(`${''.padEnd(16)}${'time'.padStart(9)}${'goodput'.padStart(13)}   DATA sent (min ${blocks})`);
  for (const { name, ms, sent } of rows) {
    const goodput = `${(SIZE / 1024 / (ms / 1000)).toFixed(1)} KiB/s`;
    const extra = `${sent} (+${(((sent - blocks) / blocks) * 100).toFixed(0)} %)`;
    console.log(`${name.padEnd(16)}${`${(ms / 1000).toFixed(1)} s`.padStart(9)}${goodput.padStart(13)}   ${extra}`);
  }
  console.log(`\nwindowsize ${WINDOW} moves the file ${(rows[0]!.ms / rows[1]!.ms).toFixed(1)}× faster than stop-and-wait.`);
} finally {
  await cleanupAll();
  rmSync(dir, { recursive: true, force: true });
}
