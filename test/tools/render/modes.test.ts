// Colour comes in as a palette; without colour (NO_COLOR, pipes) and in plain mode (screen
// readers, copy-paste) the structure stays in the characters.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCodeLine } from './plain-code.ts';
import { lessonMarkdown } from '../../../tools/course/lesson-text.ts';
import { discoverLessons } from '../../../tools/course/lessons.ts';
import { makePalette, plainPalette, renderMarkdown, terminalWidth } from '../../../tools/render/index.ts';

const SAMPLE = [
  '## Try it',
  '',
  '> **Note**',
  '> Bind to `127.0.0.1`:',
  '>',
  '> - one',
  '>   - two',
  '',
  '| Who | Port |',
  '|-----|-----:|',
  '| demo | 41234 |',
  '',
  '```sh',
  'nc -u 127.0.0.1 41234',
  '```',
].join('\n');

const BOX_DRAWING = /[\u2500-\u257f]/;

describe('render: colour and plain modes', () => {
  it('paints with ANSI colour when asked, whatever the environment of the process says', () => {
    expect(makePalette(true).strong('x')).toBe('\x1b[1mx\x1b[22m');
  });

  it('without colour, adds no escape sequence at all, and keeps inline code in backticks', () => {
    expect(makePalette(false)).toBe(plainPalette);
    const text = renderMarkdown(SAMPLE, { width: 40, palette: makePalette(false) });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('`127.0.0.1`');
  });

  it('without colour, keeps the structure: underlines, callout labels, bars, bullets, borders, frames', () => {
    expect(renderMarkdown(SAMPLE, { width: 40, palette: plainPalette }).split('\n')).toEqual([
      'Try it',
      '──────',
      '',
      '┃ Note',
      '┃ Bind to `127.0.0.1`:',
      '┃',
      '┃ • one',
      '┃   ◦ two',
      '',
      '┌──────┬───────┐',
      '│ Who  │  Port │',
      '╞══════╪═══════╡',
      '│ demo │ 41234 │',
      '└──────┴───────┘',
      '',
      '── sh ──────────────────────────────────',
      '  nc -u 127.0.0.1 41234',
      '────────────────────────────────────────',
    ]);
  });

  it('in plain mode, draws no box but keeps headings, labels, bullets, indentation and table headers', () => {
    expect(renderMarkdown(SAMPLE, { width: 40, palette: plainPalette, plain: true }).split('\n')).toEqual([
      '## Try it',
      '',
      'Note:',
      '  Bind to `127.0.0.1`:',
      '',
      '  - one',
      '    - two',
      '',
      'Who: demo',
      'Port: 41234',
      '',
      'Code (sh):',
      'nc -u 127.0.0.1 41234',
      '(end of code)',
    ]);
  });

  /** Lines outside code: in plain mode a code block is the file's text, drawings and all. */
  const prose = (text: string) => {
    const lines = text.split('\n');
    const code = isCodeLine(lines);
    return lines.filter((_, i) => !code[i]);
  };

  it('in plain mode, no lesson and no fixture has a box-drawing character outside its code', () => {
    const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'render');
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.md'))) {
      const text = renderMarkdown(readFileSync(path.join(fixtures, file), 'utf8'), { width: 60, palette: plainPalette, plain: true });
      expect(prose(text).filter((l) => BOX_DRAWING.test(l)), file).toEqual([]);
    }
    for (const lesson of discoverLessons()) {
      const text = renderMarkdown(lessonMarkdown(lesson.dir), { width: 80, palette: plainPalette, plain: true });
      expect(prose(text).filter((l) => BOX_DRAWING.test(l)), lesson.slug).toEqual([]);
    }
  });

  it('in colour, every line closes the styles it opens, so nothing bleeds into the next line', () => {
    for (const lesson of discoverLessons()) {
      for (const line of renderMarkdown(lessonMarkdown(lesson.dir), { width: 60, palette: makePalette(true) }).split('\n')) {
        const codes = [...line.matchAll(/\x1b\[(\d+)m/g)].map((m) => Number(m[1]));
        if (codes.length > 0) expect([0, 22, 23, 24, 29, 39, 49], JSON.stringify(line)).toContain(codes.at(-1));
      }
    }
  });
});

describe('render: terminalWidth', () => {
  it('is 80 when the terminal does not say (a pipe, a file)', () => {
    expect(terminalWidth(undefined)).toBe(80);
    expect(terminalWidth(0)).toBe(80);
  });

  it("is the terminal's width, at most 100 for reading comfort", () => {
    expect(terminalWidth(57)).toBe(57);
    expect(terminalWidth(100)).toBe(100);
    expect(terminalWidth(240)).toBe(100);
  });
});
