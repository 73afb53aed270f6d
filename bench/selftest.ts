// What each lesson costs `npm test`: `npm test -- NN` (its checker on solution and starter, its
// known answers, its content checks), median of N runs, as wall time alone and as CPU time, and
// the share of the whole suite's wall time it takes on this machine (its CPU time over the
// cores: the suite runs lessons side by side). Next to it, in the same run, the baseline: the
// self-test's own start (`npm test -- --help`).
//   node --import tsx bench/selftest.ts [NN ...] [--runs N]
// CPU time is read with GNU time (/usr/bin/time); without it, only wall time is shown.

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { discoverLessons, findLesson } from '../tools/course/lessons.ts';
import { ROOT } from '../tools/course/paths.ts';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '3' } }, allowPositionals: true });
const runs = Number(values.runs);
const all = discoverLessons();
const lessons = positionals.length > 0 ? positionals.map((q) => findLesson(all, q) ?? (console.error(`No lesson "${q}".`), process.exit(2))) : all;
const gnuTime = existsSync('/usr/bin/time');
const cores = availableParallelism();

/** Wall and CPU seconds of `npm test -- args`; fails loudly if the tests fail. */
function measure(args: string[]): { wall: number; cpu?: number; failed?: string } {
  const command = ['npm', 'test', '--silent', '--', ...args];
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '@@cpu %U %S', ...command], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync(command[0]!, command.slice(1), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = (performance.now() - t0) / 1000;
  // A run that failed is still measured, and marked: its figure may be off.
  const failed = r.status === 0 ? undefined : (/(\d+) failed$/m.exec(r.stdout)?.[1] ?? '?');
  const m = /@@cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, ...(m ? { cpu: Number(m[1]) + Number(m[2]) } : {}), ...(failed ? { failed } : {}) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline: { wall: number; cpu?: number }[] = [];
const rows = lessons.map((lesson) => ({ lesson, samples: [] as { wall: number; cpu?: number; failed?: string }[] }));
for (let i = 0; i < runs; i++) {
  baseline.push(measure(['--help']));
  for (const row of rows) row.samples.push(measure([row.lesson.number]));
}
const fmt = (s: { wall: number; cpu?: number }[]) => {
  const wall = median(s.map((x) => x.wall));
  const cpu = s.every((x) => x.cpu !== undefined) ? median(s.map((x) => x.cpu!)) : undefined;
  return { wall, cpu };
};
const base = fmt(baseline);
console.log(`npm test -- NN, median of ${runs} runs, on ${cores} cores`);
console.log(`${'lesson'.padEnd(28)} ${'wall alone'.padStart(11)} ${'CPU'.padStart(8)} ${'share of the suite'.padStart(19)}`);
for (const row of rows) {
  const { wall, cpu } = fmt(row.samples);
  const share = cpu === undefined ? '' : `${((cpu - (base.cpu ?? 0)) / cores).toFixed(1)} s`;
  const failed = row.samples.find((x) => x.failed)?.failed;
  console.log(`${`${row.lesson.number} · ${row.lesson.slug.slice(3)}`.padEnd(28)} ${`${wall.toFixed(1)} s`.padStart(11)} ${cpu === undefined ? '' : `${cpu.toFixed(1)} s`.padStart(8)} ${share.padStart(19)}${failed ? `   (${failed} failed)` : ''}`);
}
console.log(`${'baseline: npm test -- --help'.padEnd(28)} ${`${base.wall.toFixed(1)} s`.padStart(11)} ${base.cpu === undefined ? '' : `${base.cpu.toFixed(1)} s`.padStart(8)}`);
