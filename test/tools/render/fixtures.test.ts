// Fixture pairs: test/tools/fixtures/render/NAME.md rendered with the test palette (laid out as
// with colour; each style then shown as a tag, `[b]…[/b]`) must give NAME.txt exactly. The expected file's name says how:
//   NAME.txt          60 columns          NAME.40.txt        40 columns
//   NAME.plain.txt    60 columns, plain   NAME.40.plain.txt  40 columns, plain
// After a deliberate change, UPDATE_FIXTURES=1 npx vitest run test/tools/render rewrites the
// expected files; read every changed one before committing it.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, showMarks, testPalette } from '../../../tools/render/index.ts';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'render');
const EXPECTED = /^(.+?)(?:\.(\d+))?(\.plain)?\.txt$/;

const pairs = readdirSync(dir)
  .flatMap((file) => {
    const m = EXPECTED.exec(file);
    return m ? [{ file, name: m[1]!, width: Number(m[2] ?? 60), plain: m[3] !== undefined }] : [];
  })
  .sort((a, b) => a.file.localeCompare(b.file));

describe('render: fixture pairs', () => {
  it('every fixture has its expected text, and every expected text its fixture', () => {
    const inputs = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
    expect(inputs.filter((name) => !pairs.some((p) => p.name === name))).toEqual([]);
    expect(pairs.filter((p) => !existsSync(path.join(dir, `${p.name}.md`))).map((p) => p.file)).toEqual([]);
  });

  for (const { file, name, width, plain } of pairs) {
    it(`${name}.md renders as ${file} (${width} columns${plain ? ', plain' : ''})`, () => {
      const markdown = readFileSync(path.join(dir, `${name}.md`), 'utf8');
      const actual = showMarks(renderMarkdown(markdown, { width, palette: testPalette, plain })) + '\n';
      if (process.env.UPDATE_FIXTURES === '1') writeFileSync(path.join(dir, file), actual);
      expect(actual).toBe(readFileSync(path.join(dir, file), 'utf8'));
    });
  }
});
