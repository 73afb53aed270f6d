// A lesson's quiz (quiz.json: 3–5 questions, each with choices, the answer's index and an
// explanation) and its scoring. Asking is the runner's business; this is the data.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import type { Quiz } from '../course/completeness.ts';

export type Question = Quiz['questions'][number];

export function loadQuiz(lesson: Lesson): Question[] {
  const file = path.join(lesson.dir, 'quiz.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as Quiz).questions;
}
