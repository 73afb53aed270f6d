// Read: the lesson one step ("## " section) at a time, with next, previous and back.

import type { Lesson } from '../course/lessons.ts';
import { lessonSteps } from '../render/index.ts';
import { readingWidth, type RunnerContext } from './context.ts';
import { palette } from './text.ts';
import type { Prompts } from './prompts.ts';
import { clearScreen, print } from './screen.ts';

export async function readAction(ctx: RunnerContext, prompts: Prompts, lesson: Lesson, start = 0): Promise<void> {
  const { wb } = ctx;
  const steps = lessonSteps(lesson.dir, { width: readingWidth(ctx), palette: palette(ctx) });
  let i = Math.min(Math.max(0, start), steps.length - 1);
  for (;;) {
    const step = steps[i]!;
    clearScreen(wb.io);
    print(wb.io, wb.st.dim(`Lesson ${lesson.number} · step ${i + 1} of ${steps.length}`));
    print(wb.io, step.text);
    const next = steps[i + 1];
    const previous = steps[i - 1];
    const choice = await prompts.select<'next' | 'previous' | 'back'>(
      'Go on?',
      [
        next ? { value: 'next', name: `Next: ${next.title}` } : { value: 'back', name: 'Done: back to the lesson' },
        ...(previous ? [{ value: 'previous' as const, name: `Previous: ${previous.title}` }] : []),
        ...(next ? [{ value: 'back' as const, name: 'Back to the lesson' }] : []),
      ],
    );
    if (choice === 'back') return;
    i += choice === 'next' ? 1 : -1;
  }
}
