// Syntax colouring: keywords, strings, comments and numbers, and never a changed character.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { highlight, makePalette, showMarks, testPalette } from '../../../tools/render/index.ts';
import { ROOT } from '../../../tools/course/paths.ts';

const marked = (code: string, lang: string) => showMarks(highlight(code, lang, testPalette).join('\n'));

describe('render: highlight', () => {
  it('colours TypeScript keywords, strings, comments and numbers', () => {
    expect(marked("const port = 41234; // the demo's port\nif (x) return 'hi';", 'ts')).toBe(
      "[kw]const[/kw] port = [num]41234[/num]; [cmt]// the demo's port[/cmt]\n[kw]if[/kw] (x) [kw]return[/kw] [str]'hi'[/str];",
    );
  });

  it('leaves properties and object keys that look like keywords alone', () => {
    expect(marked("const o = { type: 'string', default: 1 }; o.type; p.catch(f);", 'typescript')).toBe(
      "[kw]const[/kw] o = { type: [str]'string'[/str], default: [num]1[/num] }; o.type; p.catch(f);",
    );
    expect(marked('switch (x) {\n  default:\n    y = a ? true : false;\n}', 'ts')).toBe(
      '[kw]switch[/kw] (x) {\n  [kw]default[/kw]:\n    y = a ? [kw]true[/kw] : [kw]false[/kw];\n}',
    );
  });

  it('colours a comment or string that spans lines on each of its lines', () => {
    expect(marked('/* one\ntwo */ x = `a\nb`;', 'js')).toBe('[cmt]/* one[/cmt]\n[cmt]two */[/cmt] x = [str]`a[/str]\n[str]b`[/str];');
  });

  it('tells a regular expression from a division', () => {
    expect(marked("a = b / c / d; r = /'/g;", 'ts')).toBe("a = b / c / d; r = [str]/'/g[/str];");
  });

  it('colours shell comments, strings and numbers, but not a # inside a word', () => {
    expect(marked('# poke it\necho -n "hi" | nc -u -w1 127.0.0.1 41234 # a#b', 'sh')).toBe(
      '[cmt]# poke it[/cmt]\necho -n [str]"hi"[/str] | nc -u -w1 127.0.0.1 [num]41234[/num] [cmt]# a#b[/cmt]',
    );
  });

  it('colours JSON strings, numbers and literals', () => {
    expect(marked('{"a": [1, -2.5e3, true, null]}', 'json')).toBe('{[str]"a"[/str]: [[num]1[/num], -[num]2.5e3[/num], [kw]true[/kw], [kw]null[/kw]]}');
  });

  it('colours Python keywords, f-strings, triple-quoted strings and comments', () => {
    expect(marked('def f(data):\n    """Doc."""\n    return f"Echo: {data}"  # reply\nelse:', 'python')).toBe(
      '[kw]def[/kw] f(data):\n    [str]"""Doc."""[/str]\n    [kw]return[/kw] [str]f"Echo: {data}"[/str]  [cmt]# reply[/cmt]\n[kw]else[/kw]:',
    );
  });

  it('leaves a language it does not know uncoloured', () => {
    expect(highlight('if x then 1', 'pascal', testPalette)).toEqual(['if x then 1']);
  });

  it("never changes the code's characters: every .ts file of the workbook, coloured, is the same text", () => {
    const files = ['lessons', 'solutions', 'starters', 'tools', 'test'].flatMap((tree) => tsFiles(path.join(ROOT, tree)));
    expect(files.length).toBeGreaterThan(20);
    const palette = makePalette(true);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      const lines = highlight(code, 'ts', palette);
      expect(stripVTControlCharacters(lines.join('\n')), file).toBe(code);
    }
  });

  it('never changes the characters of shell, JSON and Python either', () => {
    const samples: [string, string][] = [
      ['sh', 'for f in *.ts; do echo "$f" \'#x\' ${#f} $((1 + 2)); done # end\nprintf \'%s\\n\' "unterminated'],
      ['json', readFileSync(path.join(ROOT, 'package.json'), 'utf8')],
      ['python', 'x = b\'\\x00\' + rb"\\d" # c\ns = """open\nstill open'],
    ];
    for (const [lang, code] of samples) expect(stripVTControlCharacters(highlight(code, lang, makePalette(true)).join('\n'))).toBe(code);
  });
});

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}
