// Compare with the solution: a coloured unified diff of each lab file against the reference
// answer. Short files are shown whole, so every teaching comment of the solution is on screen.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { labFiles } from '../course/lessons.ts';
import { relativeToRoot, TREES } from '../course/paths.ts';
import { labProgress } from '../progress/store.ts';
import { diffLines, hunks } from '../workbook/diff.ts';
import { confirmed, readingWidth, type RunnerContext } from './context.ts';
import { wrap, wrapCode } from '../render/wrap.ts';
import { print } from './screen.ts';

const WHOLE_FILE_LINES = 200;

export async function solutionAction(ctx: RunnerContext, lesson: Lesson, yes = false): Promise<boolean> {
  const { wb } = ctx;
  const { st } = wb;
  if (!labProgress(wb.store.read(), lesson.slug).passed) {
    const question = `Lab ${lesson.number} has not passed yet. See the solution anyway?`;
    if (!(await confirmed(ctx, question, yes, 'solution', lesson))) return false;
  }
  const width = readingWidth(ctx);
  for (const solution of labFiles(TREES.solutions, lesson)) {
    const mine = path.join(wb.labs, lesson.slug, path.basename(solution));
    const theirs = readFileSync(solution, 'utf8').split('\n');
    const ours = existsSync(mine) ? readFileSync(mine, 'utf8').split('\n') : [];
    const diff = diffLines(ours, theirs);
    // A lab folder outside the workbook is named in full: a long path continues after "↪" too.
    const header = (text: string, paint: (t: string) => string) =>
      wrapCode(text, width, width - 4).forEach((piece, i) => print(wb.io, paint(i === 0 ? piece : `  ↪ ${piece}`)));
    header(`--- ${relativeToRoot(mine)} (yours)`, st.fail);
    header(`+++ ${relativeToRoot(solution)} (the solution)`, st.ok);
    const groups = hunks(diff, theirs.length <= WHOLE_FILE_LINES ? Number.MAX_SAFE_INTEGER : 4);
    if (groups.length === 0) print(wb.io, st.dim('    (yours is the same as the solution)'));
    for (const h of groups) {
      print(wb.io, st.accent(`@@ -${h.aStart},${h.aLen} +${h.bStart},${h.bLen} @@`));
      for (const line of h.lines) {
        const paint = line.kind === '+' ? st.ok : line.kind === '-' ? st.fail : /^\s*\/\//.test(line.text) ? st.dim : (t: string) => t;
        // A line wider than the terminal continues on the next, after "↪", as in the lessons.
        const pieces = wrapCode(line.text, width - 1, width - 3);
        pieces.forEach((piece, i) => print(wb.io, paint(`${line.kind}${i === 0 ? '' : '↪ '}${piece}`)));
      }
    }
  }
  const legend = `Lines with - are yours, lines with + are the solution's. The solution is in solutions/${lesson.slug}/.`;
  print(wb.io, st.dim(wrap(legend, width).join('\n')));
  return true;
}
