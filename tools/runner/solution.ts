// Compare with the solution: a coloured unified diff of each lab file against the reference
// answer. Short files are shown whole, so every teaching comment of the solution is on screen.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { labFiles } from '../course/lessons.ts';
import { relativeToRoot, TREES } from '../course/paths.ts';
import { labProgress } from '../progress/store.ts';
import { diffLines, hunks } from '../workbook/diff.ts';
import { confirmed, type RunnerContext } from './context.ts';
import { print } from './screen.ts';

const WHOLE_FILE_LINES = 200;

export async function solutionAction(ctx: RunnerContext, lesson: Lesson, yes = false): Promise<boolean> {
  const { wb } = ctx;
  const { st } = wb;
  if (!labProgress(wb.store.read(), lesson.slug).passed) {
    const question = `Lab ${lesson.number} has not passed yet. See the solution anyway?`;
    if (!(await confirmed(ctx, question, yes, 'solution', lesson))) return false;
  }
  for (const solution of labFiles(TREES.solutions, lesson)) {
    const mine = path.join(wb.labs, lesson.slug, path.basename(solution));
    const theirs = readFileSync(solution, 'utf8').split('\n');
    const ours = existsSync(mine) ? readFileSync(mine, 'utf8').split('\n') : [];
    const diff = diffLines(ours, theirs);
    print(wb.io, st.fail(`--- ${relativeToRoot(mine)} (yours)`));
    print(wb.io, st.ok(`+++ ${relativeToRoot(solution)} (the solution)`));
    const groups = hunks(diff, theirs.length <= WHOLE_FILE_LINES ? Number.MAX_SAFE_INTEGER : 4);
    if (groups.length === 0) print(wb.io, st.dim('    (yours is the same as the solution)'));
    for (const h of groups) {
      print(wb.io, st.accent(`@@ -${h.aStart},${h.aLen} +${h.bStart},${h.bLen} @@`));
      for (const line of h.lines) {
        if (line.kind === '+') print(wb.io, st.ok(`+${line.text}`));
        else if (line.kind === '-') print(wb.io, st.fail(`-${line.text}`));
        else print(wb.io, /^\s*\/\//.test(line.text) ? st.dim(` ${line.text}`) : ` ${line.text}`);
      }
    }
  }
  print(wb.io, st.dim(`Lines with - are yours, lines with + are the solution's. The solution is in solutions/${lesson.slug}/.`));
  return true;
}
