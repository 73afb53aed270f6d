// How long rendering a lesson takes: median of N runs, next to a baseline measured in the same
// run (markdown-it turning the same text into HTML, which any renderer of markdown pays at least).
//   node --import tsx bench/render.ts [NN] [runs]
// Rows: the baseline; renderMarkdown on the text with includes already resolved; renderLesson
// (reads lesson.md and the included files, resolves, renders), the work behind
// `npm start -- lesson NN`. The first renderLesson call in the process, before the JIT has warmed
// up, is printed too: it is what a learner waits for once per command.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { findLesson, discoverLessons } from '../tools/course/lessons.ts';
import { makePalette, renderLesson, renderMarkdown, resolveIncludes } from '../tools/render/index.ts';

const lesson = findLesson(discoverLessons(), process.argv[2] ?? '02');
if (!lesson) throw new Error(`No lesson "${process.argv[2]}".`);
const runs = Number(process.argv[3] ?? 50);
const options = { width: 80, palette: makePalette(true) };
const source = readFileSync(path.join(lesson.dir, 'lesson.md'), 'utf8');
const resolved = resolveIncludes(source, lesson.dir).markdown;
const md = new MarkdownIt({ html: true, linkify: true });

const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
const cold = time(() => renderLesson(lesson.dir, options));

const rows: [string, () => unknown][] = [
  ['markdown-it md.render to HTML (baseline)', () => md.render(resolved)],
  ['renderMarkdown, includes resolved, 80 columns', () => renderMarkdown(resolved, options)],
  [`renderLesson(lessons/${lesson.slug})`, () => renderLesson(lesson.dir, options)],
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = rows.map(() => [] as number[]);
// Interleaved, so that a slow moment of the machine hits every row alike.
for (let i = 0; i < runs; i++) rows.forEach(([, f], r) => samples[r]!.push(time(f)));
console.log(`lesson ${lesson.slug}: ${resolved.length} characters with includes resolved`);
for (const [r, [label]] of rows.entries()) console.log(`${label.padEnd(52)} median ${median(samples[r]!).toFixed(2)} ms over ${runs} runs`);
console.log(`${'renderLesson, first call in a fresh process'.padEnd(52)} ${cold.toFixed(2)} ms`);
