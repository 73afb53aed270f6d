// How long checking a lab takes, from the command to the verdict, against the solution (every
// check passes): median of N runs, for every lab (or those named), next to a baseline measured in
// the same run.
//   node --import tsx bench/check.ts [NN ...] [--runs N]
// Columns: the command a learner types, `npm start -- check NN` (npm itself is part of what the
// learner waits for, so this one script runs npm on purpose), and the command that `npm start`
// runs, without npm. The baseline row is Node with the workbook's loader doing nothing: the floor
// of any command.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverLessons, findLesson } from '../tools/course/lessons.ts';
import { ROOT } from '../tools/course/paths.ts';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '5' } }, allowPositionals: true });
const runs = Number(values.runs);
const all = discoverLessons();
const lessons = positionals.length > 0 ? positionals.map((q) => findLesson(all, q) ?? (console.error(`No lesson "${q}".`), process.exit(2))) : all;
const workbook = path.join(ROOT, 'tools', 'bin', 'workbook.ts');
// What package.json's start script runs: node --import ./tools/proc/ts-loader.mjs tools/bin/workbook.ts
const LOADER = './tools/proc/ts-loader.mjs';

function time(command: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const baseline: number[] = [];
const rows = lessons.map((lesson) => ({ lesson, npm: [] as number[], node: [] as number[] }));
// Interleaved, so that a slow moment of the machine hits every row alike.
for (let i = 0; i < runs; i++) {
  baseline.push(time(process.execPath, ['--import', LOADER, '-e', '0']));
  for (const row of rows) {
    const args = ['check', row.lesson.number, '--target', 'solutions'];
    row.npm.push(time('npm', ['start', '--silent', '--', ...args]));
    row.node.push(time(process.execPath, ['--import', LOADER, workbook, ...args]));
  }
}
console.log(`median of ${runs} runs, each lab's solution (every check passes)`);
console.log(`${'lab'.padEnd(28)} ${'npm start -- check NN'.padStart(22)} ${'without npm'.padStart(12)}`);
for (const row of rows) console.log(`${`${row.lesson.number} · ${row.lesson.slug.slice(3)}`.padEnd(28)} ${seconds(median(row.npm)).padStart(22)} ${seconds(median(row.node)).padStart(12)}`);
console.log(`${'baseline: node with the loader, doing nothing'.padEnd(51)} ${seconds(median(baseline)).padStart(12)}`);
