// The course check: every lesson complete, nothing stray, and (for contributors and CI, with
// WORKBOOK_CHECK_SHIPPED=1) the shipped labs/ identical to starters/. A learner's own edits in
// labs/ never make this fail.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverLessons, labFiles } from '../../tools/course/lessons.ts';
import { lessonProblems, strayProblems } from '../../tools/course/completeness.ts';
import { ROOT } from '../../tools/course/paths.ts';

const lessons = discoverLessons();

describe('course: the lessons', () => {
  it('are numbered 01, 02, … without gaps', () => {
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.map((l) => l.number)).toEqual(lessons.map((_, i) => String(i + 1).padStart(2, '0')));
  });

  it('leave nothing stray: every lab, solution and checker belongs to a lesson', () => {
    expect(strayProblems(lessons, ROOT)).toEqual([]);
  });

  for (const lesson of lessons) {
    it(`${lesson.slug} has its text, hints, quiz, demo, lab, starter, solution and checker`, () => {
      expect(lessonProblems(lesson, ROOT)).toEqual([]);
    });
  }
});

describe.runIf(process.env.WORKBOOK_CHECK_SHIPPED === '1')('course: as shipped', () => {
  for (const lesson of lessons) {
    it(`labs/${lesson.slug}/ is byte-identical to starters/${lesson.slug}/`, () => {
      const names = (tree: string) => labFiles(path.join(ROOT, tree), lesson).map((f) => path.basename(f));
      expect(names('labs')).toEqual(names('starters'));
      for (const name of names('starters')) {
        const shipped = readFileSync(path.join(ROOT, 'starters', lesson.slug, name), 'utf8');
        expect(readFileSync(path.join(ROOT, 'labs', lesson.slug, name), 'utf8'), `labs/${lesson.slug}/${name}`).toBe(shipped);
      }
    });
  }
});
