// How long rendering a lesson takes, next to a baseline measured in the same run: markdown-it
// turning the same text into HTML, which any renderer of markdown pays at least.
//   node --import tsx bench/render.ts [NN] [runs]
// Warm: the median of `runs` calls in one process, rows interleaved. Cold: the first call in a
// fresh process (what `npm start -- lesson NN` waits for, once), median of 10 processes each.
// Rows: the baseline; renderMarkdown on the text with includes already resolved; lessonMarkdown
// then renderMarkdown (reads lesson.md and the included files, resolves, renders).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { findLesson, discoverLessons } from '../tools/course/lessons.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';
import { resolveIncludes } from '../tools/course/include.ts';
import { lessonMarkdown } from '../tools/course/lesson-text.ts';
import { makePalette, renderMarkdown } from '../tools/render/index.ts';

const cold = process.argv[2] === '--cold';
const [query = '02', runsArg = '50'] = process.argv.slice(cold ? 4 : 2);
const lesson = findLesson(discoverLessons(), query);
if (!lesson) throw new Error(`No lesson "${query}".`);
const runs = Number(runsArg);
const options = { width: 80, palette: makePalette(true) };
const resolved = resolveIncludes(readFileSync(path.join(lesson.dir, 'lesson.md'), 'utf8'), lesson.dir).markdown;
const md = new MarkdownIt({ html: true, linkify: true });

const rows: [string, () => unknown][] = [
  ['markdown-it md.render to HTML (baseline)', () => md.render(resolved)],
  ['renderMarkdown, includes resolved, 80 columns', () => renderMarkdown(resolved, options)],
  [`lessonMarkdown + renderMarkdown(${lesson.slug})`, () => renderMarkdown(lessonMarkdown(lesson.dir), options)],
];

const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (cold) {
  // A child: time the first call of one row, in this fresh process.
  console.log(time(rows[Number(process.argv[3])]![1]));
} else {
  const warm = rows.map(() => [] as number[]);
  // Interleaved, so that a slow moment of the machine hits every row alike.
  for (let i = 0; i < runs; i++) rows.forEach(([, f], r) => warm[r]!.push(time(f)));
  const coldRuns = 10;
  const first = rows.map(() => [] as number[]);
  const self = fileURLToPath(import.meta.url);
  for (let i = 0; i < coldRuns; i++) {
    rows.forEach((_, r) => {
      const child = spawnSync(process.execPath, ['--import', TSX_IMPORT, self, '--cold', String(r), lesson.number], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      first[r]!.push(Number(child.stdout.trim()));
    });
  }
  console.log(`lesson ${lesson.slug}: ${resolved.length} characters with includes resolved`);
  console.log(`${''.padEnd(48)} ${'warm'.padStart(9)} ${'cold'.padStart(9)}`);
  for (const [r, [label]] of rows.entries()) {
    console.log(`${label.padEnd(48)} ${`${median(warm[r]!).toFixed(2)} ms`.padStart(9)} ${`${median(first[r]!).toFixed(1)} ms`.padStart(9)}`);
  }
  console.log(`(warm: median of ${runs} calls in one process; cold: the first call in a fresh process, median of ${coldRuns})`);
}
