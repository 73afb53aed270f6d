// Quiz: each question of the lesson's quiz.json, with immediate feedback and its explanation;
// the best score is kept in the learner's progress.

import type { Lesson } from '../course/lessons.ts';
import { record } from '../progress/store.ts';
import { loadQuiz } from '../workbook/quiz.ts';
import type { RunnerContext } from './context.ts';
import { renderText } from './text.ts';
import type { Prompts } from './prompts.ts';
import { print } from './screen.ts';

export async function quizAction(ctx: RunnerContext, prompts: Prompts, lesson: Lesson): Promise<{ score: number; of: number }> {
  const { wb } = ctx;
  const { st } = wb;
  const questions = loadQuiz(lesson);
  let score = 0;
  for (const [i, q] of questions.entries()) {
    const answer = await prompts.select(
      `Question ${i + 1} of ${questions.length}: ${q.question}`,
      q.choices.map((choice, k) => ({ value: k, name: choice })),
      { pageSize: q.choices.length },
    );
    if (answer === q.answer) {
      score++;
      print(wb.io, st.ok('✔ Right.'));
    } else {
      print(wb.io, `${st.fail('✘ Not quite.')} The answer: ${st.bold(q.choices[q.answer] ?? '')}`);
    }
    print(wb.io, renderText(ctx, q.explanation));
  }
  const before = wb.store.read().quizzes[lesson.slug];
  wb.store.update(record.quiz(lesson.slug, score, questions.length));
  const best = before && before.best > score ? ` (your best: ${before.best} of ${before.of})` : before && score > before.best ? ' — a new best' : '';
  print(wb.io, st.bold(`You scored ${score} of ${questions.length}${best}.`));
  return { score, of: questions.length };
}
