// Every lesson renders, at every width a learner may have, in every mode, and no line is wider
// than asked: widths are measured the way a terminal shows them (escapes removed, CJK and emoji
// two columns). Each lesson also splits into the steps the runner's Read screen shows.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isCodeLine } from './plain-code.ts';
import { lessonMarkdown } from '../../../tools/course/lesson-text.ts';
import { discoverLessons } from '../../../tools/course/lessons.ts';
import { displayWidth, lessonSteps, makePalette, renderMarkdown, testPalette, type RenderOptions } from '../../../tools/render/index.ts';

const lessons = discoverLessons();
const modes: [string, Omit<RenderOptions, 'width'>][] = [
  ['colour', { palette: makePalette(true) }],
  ['no colour', { palette: makePalette(false) }],
  ['plain', { palette: makePalette(false), plain: true }],
  ['plain with colour', { palette: makePalette(true), plain: true }],
  ['test palette', { palette: testPalette }],
];

/** Lines wider than `width`; in plain mode, lines of code are kept whole, so only prose counts. */
function tooWide(text: string, width: number): string[] {
  const lines = text.split('\n').map((l) => stripVTControlCharacters(l));
  const code = isCodeLine(lines);
  return lines.filter((line, i) => !code[i] && displayWidth(line) > width);
}

describe('render: every lesson', () => {
  it('there are lessons to render', () => expect(lessons.length).toBeGreaterThan(0));

  for (const lesson of lessons) {
    for (const width of [40, 80, 120]) {
      it(`${lesson.slug} renders at ${width} columns, in every mode, no line wider`, () => {
        for (const [mode, options] of modes) {
          const text = renderMarkdown(lessonMarkdown(lesson.dir), { width, ...options });
          expect(text.length, mode).toBeGreaterThan(500);
          expect(tooWide(text, width), mode).toEqual([]);
        }
      });
    }

    it(`${lesson.slug} shows its included programs, not the include comments`, () => {
      const text = stripVTControlCharacters(renderMarkdown(lessonMarkdown(lesson.dir), { width: 100, palette: makePalette(false) }));
      expect(text).not.toContain('<!--');
      expect(text).not.toContain('#region');
      expect(text).not.toContain('Missing include');
      // At least one program is shown, framed with its file's name.
      expect(text).toMatch(/── [\w-]+\.ts ─/);
    });

    it(`${lesson.slug} splits into one step per "## " section, the first under the lesson's title`, () => {
      const source = readFileSync(path.join(lesson.dir, 'lesson.md'), 'utf8');
      const headings = [...source.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
      const options = { width: 80, palette: makePalette(false) };
      const steps = lessonSteps(lessonMarkdown(lesson.dir), options, lesson.slug);
      expect(steps.map((s) => s.title)).toEqual(headings.map((h) => h.replaceAll('`', '')));
      expect(steps[0]!.text.split('\n')[0]).toBe(`${lesson.number} · ${lesson.title}`);
      steps.forEach((step, i) => {
        const heading = renderMarkdown(`## ${headings[i]}`, options);
        expect(step.text.startsWith(heading) || step.text.includes(`\n\n${heading}\n`), step.title).toBe(true);
      });
    });
  }
});

describe('render: plain mode', () => {
  it('never inserts a character into code: each line of code is the line of the file', () => {
    const longLine = `const x = ${'"a" + '.repeat(30)}"a";`;
    const text = stripVTControlCharacters(renderMarkdown(`\`\`\`ts\n${longLine}\n\`\`\``, { width: 40, ...modes.find(([m]) => m === 'plain')![1] }));
    expect(text.split('\n')).toContain(longLine);
    expect(text).not.toContain('↪');
  });
});

describe('render: no line wider than asked, for any width', () => {
  // Every width from 20 to 130 for the fixtures (small, and made of the hard cases); for the
  // lessons every seventh width, each lesson from another start, so that together they cover
  // every width, and each crosses the layout changes of its tables and code.
  // The test palette lays out as colour does, and plain mode's colour changes no width: three
  // modes cover every layout.
  const every = (step: number, from = 0) => Array.from({ length: Math.floor((110 - from) / step) + 1 }, (_, i) => 20 + from + i * step);
  const layouts = modes.filter(([mode]) => mode === 'colour' || mode === 'no colour' || mode === 'plain');
  const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'render');
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.md'))) {
    const markdown = readFileSync(path.join(fixtures, file), 'utf8');
    it(`${file} at every width from 20 to 130`, () => {
      for (const width of every(1)) {
        for (const [mode, options] of layouts) expect(tooWide(renderMarkdown(markdown, { width, ...options }), width), `${mode}, ${width} columns`).toEqual([]);
      }
    });
  }

  it('odd markdown renders without error, within the width', () => {
    const odd = ['', '---', '|a|\n|-|', '- ', '>', '```', '<div>x</div>', '[x]: http://a\n\n[x]', '#', '| a | b |\n|---|---|\n| x |',
      '<!-- only a comment -->', 'a<br>b', '![]()', '[](http://x)', '`' + 'x'.repeat(50) + '`', 'x\t\ty', '```\n\tTab\there\n```'];
    for (const markdown of odd) {
      for (const width of [20, 33]) {
        for (const [mode, options] of layouts) expect(tooWide(renderMarkdown(markdown, { width, ...options }), width), `${JSON.stringify(markdown)}, ${mode}`).toEqual([]);
      }
    }
  });

  for (const [n, lesson] of lessons.entries()) {
    it(`${lesson.slug} at every seventh width from ${20 + (n % 7)} to 130`, () => {
      for (const width of every(7, n % 7)) {
        for (const [mode, options] of layouts) expect(tooWide(renderMarkdown(lessonMarkdown(lesson.dir), { width, ...options }), width), `${mode}, ${width} columns`).toEqual([]);
      }
    });
  }
});
