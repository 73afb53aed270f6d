// A lesson's quiz (quiz.json, whose format is written down at Quiz in tools/course/completeness.ts)
// and the order its choices are shown in. Asking is the runner's business; this is the data.
//
// The choices are shuffled when shown, so that a learner cannot pass by position. The order comes
// from a seed: the lesson and how many times this learner has finished its quiz, so a retake
// shows another order, and a test that knows the seed knows the order.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import type { Quiz, QuizQuestion } from '../course/completeness.ts';
import { Random } from '../udp/random.ts';

export type Question = QuizQuestion;

export function loadQuiz(lesson: Lesson): Question[] {
  const file = path.join(lesson.dir, 'quiz.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as Quiz).questions;
}

/** The seed of a learner's `taken`-th finished quiz (0: the first time) of lesson `slug`. */
export function quizSeed(slug: string, taken: number): number {
  let h = 0x811c9dc5; // FNV-1a over the slug, then the count
  for (const c of slug) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return Random.derive(h, taken).below(0x100000000);
}

/**
 * The order in which question `index` of a quiz shows its `count` choices, for `seed`: the
 * original indexes, first shown first. A shuffle (Fisher–Yates) of its own per question.
 */
export function choiceOrder(seed: number, index: number, count: number): number[] {
  const random = Random.derive(seed, index);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** "a", "b", "c", …: how the shown choices are labelled. */
export const choiceLabel = (position: number) => String.fromCharCode(97 + position);
