// How long checking a lab takes, from the command to the verdict, against the solution (every
// check passes): median of N runs, next to a baseline measured in the same run.
//   node --import tsx bench/check.ts [NN] [runs]
// Rows: Node with tsx doing nothing (the floor), the workbook's entry point, and the command a
// learner types, `npm start -- check NN` (npm itself is part of what the learner waits for, so
// this one script runs npm on purpose).

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';

const lesson = process.argv[2] ?? '02';
const runs = Number(process.argv[3] ?? 10);
const workbook = path.join(ROOT, 'tools', 'bin', 'workbook.ts');
const checkArgs = ['check', lesson, '--target', 'solutions'];

const rows: [string, string, string[]][] = [
  ['node --import tsx, doing nothing (baseline)', process.execPath, ['--import', TSX_IMPORT, '-e', '0']],
  [`node --import tsx tools/bin/workbook.ts check ${lesson}`, process.execPath, ['--import', TSX_IMPORT, workbook, ...checkArgs]],
  [`npm start -- check ${lesson}`, 'npm', ['start', '--silent', '--', ...checkArgs]],
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
// Interleaved, so that a slow moment of the machine hits every row alike.
for (let i = 0; i < runs; i++) rows.forEach(([, command, args], r) => samples[r]!.push(time(command, args)));
for (const [r, [label]] of rows.entries()) {
  console.log(`${label.padEnd(52)} median ${(median(samples[r]!) / 1000).toFixed(2)} s over ${runs} runs`);
}
