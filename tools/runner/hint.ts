// Hint: the next hint the learner has not seen, remembered in their progress.

import type { Lesson } from '../course/lessons.ts';
import { labProgress, record } from '../progress/store.ts';
import { loadHints, nextHint } from '../workbook/hints.ts';
import { readingWidth, type RunnerContext } from './context.ts';
import { unbroken, wrap } from '../render/wrap.ts';
import { renderText } from './text.ts';
import { print } from './screen.ts';

export function hintAction(ctx: RunnerContext, lesson: Lesson): void {
  const { wb } = ctx;
  const seen = labProgress(wb.store.read(), lesson.slug).hintsSeen;
  const next = nextHint(loadHints(lesson), seen);
  if (!next) {
    print(wb.io, `Lesson ${lesson.number} has no hints.`);
    return;
  }
  const { hint, again } = next;
  wb.store.update(record.hintSeen(lesson.slug, hint.number));
  print(wb.io, wb.st.bold(`Hint ${hint.number} of ${hint.total}`) + (again ? wb.st.dim(' (the last one, again)') : ''));
  print(wb.io, renderText(ctx, hint.body));
  const more =
    hint.number < hint.total
      ? `Still stuck? Ask again for hint ${hint.number + 1}.`
      : `That is the last hint. Still stuck? Compare with the solution: ${wb.st.code(unbroken(`npm start -- solution ${lesson.number}`))}.`;
  // Wrapped here, so that the terminal never breaks the command in two.
  print(wb.io, wrap(wb.st.dim(more), readingWidth(ctx)).join('\n'));
}
