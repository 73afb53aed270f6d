// Includes: `<!-- include: file -->` and `<!-- include: file#region -->` become fenced code with
// the file's current text, markers removed; anything missing is a problem with its line.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveIncludes } from '../../tools/course/include.ts';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-include-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const SERVER = [
  "import dgram from 'node:dgram';",
  '',
  '// #region socket',
  "const server = dgram.createSocket('udp4');",
  '// #endregion socket',
  '',
  'function start() {',
  '  // #region bind',
  '  server.on(\'listening\', () => {',
  '    // #region inner',
  '    console.log(server.address());',
  '    // #endregion inner',
  '  });',
  '  // #endregion bind',
  '}',
  '',
].join('\n');

describe('render: includes', () => {
  it('includes a whole .ts file as a ts code block titled with its name, without region markers', () => {
    const dir = folder({ 'server.ts': SERVER });
    const { markdown, problems } = resolveIncludes('Before.\n\n<!-- include: server.ts -->\n\nAfter.', dir);
    expect(problems).toEqual([]);
    expect(markdown).toBe(
      [
        'Before.',
        '',
        '```ts server.ts',
        "import dgram from 'node:dgram';",
        '',
        "const server = dgram.createSocket('udp4');",
        '',
        'function start() {',
        "  server.on('listening', () => {",
        '    console.log(server.address());',
        '  });',
        '}',
        '```',
        '',
        'After.',
      ].join('\n'),
    );
  });

  it('includes a region without its markers or the markers nested in it, its indentation removed', () => {
    const dir = folder({ 'server.ts': SERVER });
    expect(resolveIncludes('<!-- include: server.ts#bind -->', dir)).toEqual({
      markdown: ['```ts server.ts', "server.on('listening', () => {", '  console.log(server.address());', '});', '```'].join('\n'),
      problems: [],
    });
    expect(resolveIncludes('<!-- include: server.ts#socket -->', dir).markdown).toBe("```ts server.ts\nconst server = dgram.createSocket('udp4');\n```");
  });

  it('keeps the indentation of an include inside a list item', () => {
    const dir = folder({ 'server.ts': SERVER });
    expect(resolveIncludes('- item\n\n  <!-- include: server.ts#socket -->', dir).markdown).toBe(
      "- item\n\n  ```ts server.ts\n  const server = dgram.createSocket('udp4');\n  ```",
    );
  });

  it('leaves an include comment inside a code fence as it is', () => {
    const text = '````md\n<!-- include: missing.ts -->\n```\n````';
    expect(resolveIncludes(text, folder({}))).toEqual({ markdown: text, problems: [] });
  });

  it('names other languages by extension and fences code that holds backticks with more of them', () => {
    const dir = folder({ 'config.json': '{ "port": 1 }\n', 'notes.md': 'Use ```ts fences.\n' });
    expect(resolveIncludes('<!-- include: config.json -->', dir).markdown).toBe('```json config.json\n{ "port": 1 }\n```');
    expect(resolveIncludes('<!-- include: notes.md -->', dir).markdown).toBe('````md notes.md\nUse ```ts fences.\n````');
  });

  it('reports a missing file with its line, and shows a warning in its place', () => {
    const { markdown, problems } = resolveIncludes('# Title\n\ntext\n<!-- include: nothere.ts -->', folder({}));
    expect(problems).toEqual([{ line: 4, include: 'nothere.ts', message: 'there is no file nothere.ts' }]);
    expect(markdown).toBe('# Title\n\ntext\n> **Warning**\n> Missing include on line 4: there is no file nothere.ts');
  });

  it('reports a missing region, and a region that never ends', () => {
    const dir = folder({ 'server.ts': SERVER, 'open.ts': '// #region start\nx();\n' });
    expect(resolveIncludes('<!-- include: server.ts#nope -->', dir).problems).toEqual([
      { line: 1, include: 'server.ts#nope', message: 'server.ts has no region "nope" (mark it with // #region nope … // #endregion nope)' },
    ]);
    expect(resolveIncludes('\n<!-- include: open.ts#start -->', dir).problems).toEqual([
      { line: 2, include: 'open.ts#start', message: 'region "start" in open.ts has no end (mark it with // #region start … // #endregion start)' },
    ]);
  });
});
