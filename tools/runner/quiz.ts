// Quiz: each question of the lesson's quiz.json, its choices shuffled (tools/workbook/quiz.ts),
// then whether the answer was right, why that choice is right or wrong, and the explanation; the
// best score and the number of quizzes taken are kept in the learner's progress.
//
// Question and choices are markdown, laid out here by the lesson renderer (backticks become code,
// lines break between words), each choice within the width left once inquirer has put its cursor
// in front. Inquirer counts lines, not choices, when it pages a list: the page is as tall as all
// the choices' lines (in a terminal tall enough), so that none is hidden, and inquirer never has
// to wrap a line itself, which is what breaks words and leaves fragments of a line behind when
// the cursor moves.

import type { Lesson } from '../course/lessons.ts';
import { renderMarkdown } from '../render/index.ts';
import { record } from '../progress/store.ts';
import { choiceLabel, choiceOrder, loadQuiz, quizSeed, type Question } from '../workbook/quiz.ts';
import { readingWidth, type RunnerContext } from './context.ts';
import { palette, renderText } from './text.ts';
import type { Prompts } from './prompts.ts';
import { print, screenOf } from './screen.ts';

/** Inquirer's cursor and its space ("❯ "), in front of every choice. */
const CURSOR = 2;

export interface QuizOptions {
  /** The seed of the choices' order; by default the lesson's and the quizzes taken so far. */
  seed?: number;
}

export async function quizAction(
  ctx: RunnerContext,
  prompts: Prompts,
  lesson: Lesson,
  options: QuizOptions = {},
): Promise<{ score: number; of: number }> {
  const { wb } = ctx;
  const { st } = wb;
  const questions = loadQuiz(lesson);
  const before = wb.store.read().quizzes[lesson.slug];
  const seed = options.seed ?? quizSeed(lesson.slug, before?.taken ?? (before ? 1 : 0));
  let score = 0;
  for (const [i, q] of questions.entries()) {
    const order = choiceOrder(seed, i, q.choices.length);
    const label = (choice: number) => `${choiceLabel(order.indexOf(choice))})`;
    print(wb.io);
    print(wb.io, st.bold(`Question ${i + 1} of ${questions.length}`));
    print(wb.io, renderText(ctx, q.question));
    const shown = order.map((choice) => ({
      value: choice,
      name: layOutChoice(ctx, label(choice), q.choices[choice]!),
      short: label(choice),
    }));
    // Every line of every choice, unless the prompt would then be taller than the terminal, which
    // it could no longer redraw in place: then inquirer scrolls the list instead.
    const lines = shown.reduce((n, c) => n + c.name.split('\n').length, 0);
    const pageSize = Math.max(3, Math.min(lines, screenOf(wb.io).rows - 4));
    const answer = await prompts.select('Your answer:', shown, { pageSize, doneMark: '›' });
    if (answer === q.answer) {
      score++;
      print(wb.io, st.ok('✔ Right.'));
      print(wb.io, renderText(ctx, paragraphs(why(q, answer), q.explanation)));
    } else {
      print(wb.io, st.fail('✘ Not quite.'));
      // The choice on one line, why it is right or wrong on the next (a markdown hard break).
      const chosen = `**${label(answer)}** ${q.choices[answer]}${reason('No', why(q, answer))}`;
      const right = `**The answer is ${label(q.answer)}** ${q.choices[q.answer]}${reason('Yes', why(q, q.answer))}`;
      print(wb.io, renderText(ctx, paragraphs(chosen, right, q.explanation)));
    }
  }
  wb.store.update(record.quiz(lesson.slug, score, questions.length));
  const best = before && before.best > score ? ` (your best: ${before.best} of ${before.of})` : before && score > before.best ? ' — a new best' : '';
  print(wb.io);
  print(wb.io, st.bold(`You scored ${score} of ${questions.length}${best}.`));
  return { score, of: questions.length };
}

/** "a) The first line of the choice…" with its other lines under its text, as inquirer will show it. */
export function layOutChoice(ctx: RunnerContext, label: string, markdown: string): string {
  const text = label.length + 1;
  // One column to spare: a line that fills the terminal's last column wraps early in some terminals.
  const width = readingWidth(ctx) - CURSOR - text - 1;
  const lines = renderMarkdown(markdown, { width, palette: palette(ctx) }).split('\n');
  // Inquirer puts its cursor before the first line only: the others are indented past it.
  return lines.map((line, i) => (i === 0 ? `${label} ${line}` : `${' '.repeat(CURSOR + text)}${line}`)).join('\n');
}

/** Why this choice is right or wrong; empty for a quiz written before `why` was required. */
function why(q: Question, choice: number): string {
  return (Array.isArray(q.why) ? q.why[choice] : undefined) ?? '';
}

const paragraphs = (...texts: string[]) => texts.filter((t) => t.trim() !== '').join('\n\n');

const reason = (verdict: string, why: string) => (why ? `  \n**${verdict}:** ${why}` : '');
