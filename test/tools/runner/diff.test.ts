import { describe, expect, it } from 'vitest';
import { diffLines, hunks } from '../../../tools/workbook/diff.ts';

const render = (a: string[], b: string[], context?: number) =>
  hunks(diffLines(a, b), context).map((h) => [`@@ -${h.aStart},${h.aLen} +${h.bStart},${h.bLen} @@`, ...h.lines.map((l) => l.kind + l.text)].join('\n'));

describe('unified diff of a lab against its solution', () => {
  it('is empty for equal files', () => {
    expect(render(['a', 'b'], ['a', 'b'])).toEqual([]);
  });

  it('shows a changed line as a removal and an addition, with context', () => {
    expect(render(['a', 'b', 'c', 'd', 'e', 'f', 'g'], ['a', 'b', 'c', 'D', 'e', 'f', 'g'], 1)).toEqual(['@@ -3,3 +3,3 @@\n c\n-d\n+D\n e']);
  });

  it('keeps distant changes in separate hunks with the right line numbers', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    const b = ['1', 'x', '2', '3', '4', '5', '6', '7', '9'];
    expect(render(a, b, 1)).toEqual(['@@ -1,2 +1,3 @@\n 1\n+x\n 2', '@@ -7,3 +8,2 @@\n 7\n-8\n 9']);
  });

  it('shows the whole file with unlimited context', () => {
    expect(render(['a', 'TODO', 'c'], ['a', 'b', 'c'], Number.MAX_SAFE_INTEGER)).toEqual(['@@ -1,3 +1,3 @@\n a\n-TODO\n+b\n c']);
  });
});
