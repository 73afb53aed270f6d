// The menu (`npm start` at a terminal): the lessons with their marks and a progress bar, the next
// lesson preselected; choosing one opens its screen of actions. Each action's module is loaded
// when it is first chosen, so that the menu is on screen sooner.

import type { Lesson } from '../course/lessons.ts';
import { labProgress } from '../progress/store.ts';
import { loadHints } from '../workbook/hints.ts';
import { lessonLine, lessonsAfter, nextLesson, progressBar, markOf } from '../workbook/state.ts';
import { TITLE, type RunnerContext } from './context.ts';
import { SEPARATOR, type Prompts } from './prompts.ts';
import { clearScreen, liveOutput, print, screenOf } from './screen.ts';


export async function menu(ctx: RunnerContext, prompts: Prompts, start?: Lesson): Promise<number> {
  const { wb } = ctx;
  let lesson = start;
  for (;;) {
    if (!lesson) {
      const progress = wb.store.read();
      clearScreen(wb.io);
      print(wb.io, wb.st.bold(TITLE));
      print(wb.io, progressBar(wb.lessons, progress, wb.st, Math.min(screenOf(wb.io).width, 60)));
      print(wb.io);
      const chosen = await prompts.select<string>(
        'Choose a lesson',
        [
          ...wb.lessons.map((l) => ({ value: l.slug, name: lessonLine(l, wb.lessons, progress, wb.st) })),
          SEPARATOR,
          { value: 'quit', name: 'Quit' },
        ],
        { default: nextLesson(wb.lessons, progress)?.slug ?? wb.lessons[0]?.slug, pageSize: Math.max(5, screenOf(wb.io).rows - 6) },
      );
      if (chosen === 'quit') return 0;
      lesson = wb.lessons.find((l) => l.slug === chosen);
      if (!lesson) continue;
    }
    const outcome = await lessonScreen(ctx, prompts, lesson);
    if (outcome === 'quit') return 0;
    lesson = outcome === 'back' ? undefined : outcome;
  }
}

type Action = 'read' | 'demo' | 'open' | 'check' | 'watch' | 'hint' | 'solution' | 'quiz' | 'reset' | 'back' | 'quit';
const AFTER: Partial<Record<Action, Action>> = { read: 'demo', demo: 'open', open: 'check' };

/** One lesson's actions. Returns where to go next: the menu, another lesson, or out. */
export async function lessonScreen(ctx: RunnerContext, prompts: Prompts, lesson: Lesson): Promise<'back' | 'quit' | Lesson> {
  const { wb } = ctx;
  const { st } = wb;
  const hints = loadHints(lesson).length;
  let last: Action = labProgress(wb.store.read(), lesson.slug).attempts > 0 ? 'check' : 'read';
  clearScreen(wb.io);
  for (;;) {
    const progress = wb.store.read();
    const lab = labProgress(progress, lesson.slug);
    const quiz = progress.quizzes[lesson.slug];
    const mark = markOf(lesson, wb.lessons, progress);
    print(wb.io);
    print(wb.io, `${st.bold(`${lesson.number} · ${lesson.title}`)}  ${mark === 'passed' ? st.ok('✔ passed') : st.dim(`${lab.attempts} check${lab.attempts === 1 ? '' : 's'} so far`)}`);
    const action: Action = await prompts.select<Action>(
      'What next?',
      [
        { value: 'read', name: 'Read the lesson', description: 'One step at a time.' },
        { value: 'demo', name: 'Run the demo', description: 'Start the demo server and send it datagrams.' },
        { value: 'open', name: 'Open the lab', description: 'Where your files are, opened in your editor.' },
        { value: 'check', name: 'Check', description: 'Run the checker on your lab.' },
        { value: 'watch', name: 'Watch', description: 'Check again every time you save.' },
        { value: 'hint', name: `Hint (${Math.min(lab.hintsSeen, hints)} of ${hints} seen)`, description: 'The next hint.' },
        { value: 'solution', name: 'Compare with the solution', description: 'Your lab next to the reference answer.' },
        { value: 'quiz', name: `Quiz${quiz ? ` (best ${quiz.best} of ${quiz.of})` : ''}`, description: 'A few questions on the lesson.' },
        { value: 'reset', name: 'Reset the lab', description: 'Back to the starter; your files are backed up first.' },
        SEPARATOR,
        { value: 'back', name: 'Back to the lessons' },
      ],
      { default: last, pageSize: 11 },
    );
    // After reading comes the demo, after the demo the lab: the cursor waits on what comes next.
    last = AFTER[action] ?? action;
    switch (action) {
      case 'back':
      case 'quit':
        return action;
      case 'read':
        await (await import('./read.ts')).readAction(ctx, prompts, lesson);
        clearScreen(wb.io);
        break;
      case 'demo':
        await (await import('./demo.ts')).demoAction(ctx, lesson);
        break;
      case 'open':
        await (await import('./open.ts')).openAction(ctx, lesson);
        break;
      case 'check': {
        print(wb.io, st.dim('Checking… (Ctrl+C stops the check and comes back here)'));
        const { checkAction } = await import('./check.ts');
        // Ctrl+C during the check stops the check, not the workbook: back to this menu.
        const claim = wb.io.claimInterrupt();
        let checked;
        try {
          checked = await checkAction(ctx, lesson, { signal: claim.signal, live: liveOutput(wb.io), firstInFull: true });
        } catch (err) {
          if (!claim.signal.aborted || wb.io.signal.aborted) throw err;
          print(wb.io, st.warn('Check stopped. Ctrl+C at the menu leaves the workbook.'));
          break;
        } finally {
          claim.release();
        }
        if (checked.text) print(wb.io, checked.text);
        if (checked.verdict.ok) {
          const next = await afterPass(ctx, prompts, lesson);
          if (next) return next;
        }
        break;
      }
      case 'watch': {
        const exit = await (await import('./watch.ts')).watchAction(ctx, lesson);
        const [next] = lessonsAfter(wb.lessons, lesson);
        if (exit === 'next' && next) return next;
        clearScreen(wb.io);
        break;
      }
      case 'hint':
        (await import('./hint.ts')).hintAction(ctx, lesson);
        break;
      case 'solution':
        await (await import('./solution.ts')).solutionAction(ctx, lesson);
        break;
      case 'quiz':
        await (await import('./quiz.ts')).quizAction(ctx, prompts, lesson);
        break;
      case 'reset':
        await (await import('./reset.ts')).resetAction(ctx, lesson);
        break;
    }
  }
}

/** After a pass: compare with the solution, or go on to the next lesson. */
async function afterPass(ctx: RunnerContext, prompts: Prompts, lesson: Lesson): Promise<Lesson | undefined> {
  const [next] = lessonsAfter(ctx.wb.lessons, lesson);
  const choice = await prompts.select<'solution' | 'next' | 'stay'>('Well done. What now?', [
    { value: 'solution', name: 'Compare with the solution' },
    ...(next ? [{ value: 'next' as const, name: `Go to the next lesson: ${next.number} · ${next.title}` }] : []),
    { value: 'stay', name: 'Stay on this lesson' },
  ]);
  if (choice === 'solution') await (await import('./solution.ts')).solutionAction(ctx, lesson);
  return choice === 'next' ? next : undefined;
}
