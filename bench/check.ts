// How long `npm start -- check 02` takes, from the command to the verdict: median of 10 runs,
// next to the baseline of starting Node with tsx and doing nothing, measured in the same run.
//   node --import tsx bench/check.ts [NN] [runs]

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';

const lesson = process.argv[2] ?? '02';
const runs = Number(process.argv[3] ?? 10);
const workbook = path.join(ROOT, 'tools', 'bin', 'workbook.ts');

function time(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline: number[] = [];
const check: number[] = [];
for (let i = 0; i < runs; i++) {
  baseline.push(time(['--import', TSX_IMPORT, '-e', '0']));
  check.push(time(['--import', TSX_IMPORT, workbook, 'check', lesson, '--target', 'solutions']));
}
console.log(`node --import tsx (nothing):        median ${median(baseline).toFixed(0)} ms over ${runs} runs`);
console.log(`check ${lesson} (solution, all pass):   median ${median(check).toFixed(0)} ms over ${runs} runs`);
console.log(`npm itself adds about 0.2–0.3 s on top when run as \`npm start -- check ${lesson}\`.`);
