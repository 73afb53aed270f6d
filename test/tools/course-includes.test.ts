// The course check reports an include that shows nothing, naming the lesson's file and the line.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lessonProblems } from '../../tools/course/completeness.ts';
import type { Lesson } from '../../tools/course/lessons.ts';

const root = mkdtempSync(path.join(tmpdir(), 'workbook-course-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function lessonWith(text: string, files: Record<string, string> = {}): Lesson {
  const dir = path.join(root, 'lessons', '07-broadcast');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'lesson.md'), text);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return { number: '07', slug: '07-broadcast', title: 'Broadcast', dir, checker: path.join(root, 'test', 'checkers', '07-broadcast.test.ts') };
}

const includeProblems = (lesson: Lesson) => lessonProblems(lesson, root).filter((p) => p.includes('include'));

describe('course check: includes', () => {
  it('reports an include of a missing file, naming the lesson and the line', () => {
    const lesson = lessonWith('# 07 · Broadcast\n\n## One\n\n<!-- include: discover.ts -->\n\n## Two\n');
    expect(includeProblems(lesson)).toEqual([
      `${path.join(lesson.dir, 'lesson.md')}, line 5: <!-- include: discover.ts --> shows nothing: there is no file discover.ts.`,
    ]);
  });

  it('reports an include of a missing region, naming the lesson and the line', () => {
    const lesson = lessonWith('# 07 · Broadcast\n\n## One\n\n## Two\n\n<!-- include: server.ts#bind -->\n', { 'server.ts': 'const a = 1;\n' });
    const problems = includeProblems(lesson);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('07-broadcast/lesson.md, line 7: <!-- include: server.ts#bind --> shows nothing: server.ts has no region "bind"');
  });

  it('has nothing to say when every include resolves', () => {
    const lesson = lessonWith('# 07 · Broadcast\n\n## One\n\n<!-- include: server.ts#bind -->\n\n## Two\n', {
      'server.ts': '// #region bind\nserver.bind(0);\n// #endregion bind\n',
    });
    expect(includeProblems(lesson)).toEqual([]);
  });
});
