// For instructors and CI (e.g. GitHub Classroom): checks every lab, prints one line per lab,
// can write a machine-readable report, and exits 1 unless every lab passes. It records no
// progress.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { discoverLessons } from '../../course/lessons.ts';
import { makeStyle } from '../../term/style.ts';
import { writeLine } from '../../term/io.ts';
import { defineCommand } from '../command.ts';

export const gradeCommand = defineCommand({
  name: 'grade',
  summary: 'check every lab (for instructors and CI)',
  flags: {
    json: { value: 'FILE', help: 'also write every lab\'s verdict and checks to FILE, as JSON' },
    target: { value: 'DIR', help: 'grade the labs in DIR (default: WORKBOOK_TARGET, or labs/)' },
  },
  async run({ values }, io) {
    const st = makeStyle(io.color);
    const target = values.target ?? io.env.WORKBOOK_TARGET;
    const { checkLesson } = await import('../../check/check-lesson.ts');
    const rows = [];
    for (const lesson of discoverLessons(io.root)) {
      const { verdict, result } = await checkLesson(lesson, { context: { target }, style: st });
      rows.push({ lesson: lesson.slug, ...verdict, checks: result.checks, errors: result.errors });
      const mark = verdict.ok ? st.ok('✔') : st.fail('✘');
      writeLine(io.stdout, `${mark} ${lesson.slug.padEnd(24)} ${verdict.passed}/${verdict.total} checks`);
    }
    const passed = rows.filter((r) => r.ok).length;
    writeLine(io.stdout, `${passed} of ${rows.length} labs pass.`);
    if (values.json) writeFileSync(path.resolve(values.json), JSON.stringify({ passed, total: rows.length, labs: rows }, null, 2) + '\n');
    return passed === rows.length ? 0 : 1;
  },
});
