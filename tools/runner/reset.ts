// Reset: back up the learner's lab, then restore the starter as shipped.

import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot } from '../course/paths.ts';
import path from 'node:path';
import { isAsShipped, resetLab } from '../workbook/reset.ts';
import { record } from '../progress/store.ts';
import { confirmed, type RunnerContext } from './context.ts';
import { print } from './screen.ts';

export async function resetAction(ctx: RunnerContext, lesson: Lesson, yes = false): Promise<boolean> {
  const { wb } = ctx;
  if (isAsShipped(lesson, wb.labs)) {
    print(wb.io, `Lab ${lesson.number} is already as shipped: nothing to reset.`);
    return false;
  }
  const question = `Reset lab ${lesson.number} to the starter? Your files are backed up first.`;
  if (!(await confirmed(ctx, question, yes, 'reset', lesson))) return false;
  const result = resetLab(lesson, wb.labs, path.join(wb.stateDir, 'backups'));
  const wasPassed = wb.store.read().labs[lesson.slug]?.passed === true;
  wb.store.update(record.reset(lesson.slug));
  if (result.backup) print(wb.io, `Your version is backed up in ${relativeToRoot(result.backup)}/`);
  print(wb.io, wb.st.ok(`Restored ${result.restored.map(relativeToRoot).join(', ')} as shipped.`));
  if (result.extra.length > 0) print(wb.io, wb.st.dim(`Left in place (not part of the starter): ${result.extra.join(', ')}`));
  if (wasPassed) print(wb.io, wb.st.dim(`Lab ${lesson.number} is marked as not passed again, until it passes a check.`));
  return true;
}
