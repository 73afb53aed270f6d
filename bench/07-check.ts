// How long `npm start -- check 07` takes on the solution, next to `check 02` (one server, twelve
// checks) and Node with tsx doing nothing, interleaved in the same run so that the machine's load
// hits every row alike: median of N runs.
//   node --import tsx bench/07-check.ts [runs]
// Lab 07 starts three processes of the learner's code (two servers and the probe for discover())
// where lab 02 starts one; the checker starts them side by side and runs discover()'s scenarios
// while the server checks run, so that the difference stays small.

import { spawnSync } from 'node:child_process';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';

const runs = Number(process.argv[2] ?? 7);
const rows: [string, string, string[]][] = [
  ['node --import tsx, doing nothing (baseline)', process.execPath, ['--import', TSX_IMPORT, '-e', '0']],
  ['npm start -- check 02 (one server)', 'npm', ['start', '--silent', '--', 'check', '02', '--target', 'solutions']],
  ['npm start -- check 07 (two servers, a probe)', 'npm', ['start', '--silent', '--', 'check', '07', '--target', 'solutions']],
];

function time(command: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = rows.map(() => [] as number[]);
for (let i = 0; i < runs; i++) rows.forEach(([, command, args], r) => samples[r]!.push(time(command, args)));
const medians = samples.map(median);
for (const [r, [label]] of rows.entries()) {
  console.log(`${label.padEnd(48)} median ${(medians[r]! / 1000).toFixed(2)} s over ${runs} runs`);
}
console.log(`check 07 / check 02: ${(medians[2]! / medians[1]!).toFixed(2)}`);
