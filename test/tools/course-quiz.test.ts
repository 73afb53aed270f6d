// The course check's rules for quizzes and learner files (tools/course/completeness.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEARNER_WIDTH, quizProblems, widthProblems, type QuizQuestion } from '../../tools/course/completeness.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});
function file(name: string, text: string): string {
  dir ||= mkdtempSync(path.join(tmpdir(), 'course-'));
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}
const quiz = (questions: Partial<QuizQuestion>[]) => file('quiz.json', JSON.stringify({ questions }));

/** A question whose answer is at `answer`, with choices of the given lengths. */
function question(answer: number, lengths = [10, 10, 10]): QuizQuestion {
  return {
    question: 'Which?',
    choices: lengths.map((n, i) => `${String.fromCharCode(97 + i)}${'x'.repeat(n - 1)}`),
    answer,
    explanation: 'Because.',
    why: lengths.map(() => 'A reason.'),
  };
}

describe('the course check of a quiz', () => {
  it('accepts answers at varying positions that are not the longest choice', () => {
    expect(quizProblems(quiz([question(0), question(2), question(1, [10, 20, 30]), question(1)]))).toEqual([]);
  });

  it('asks for a why per choice, naming the question', () => {
    const q = { ...question(1), why: ['only one'] };
    expect(quizProblems(quiz([question(0), q, question(2)]))).toEqual([
      expect.stringMatching(/quiz\.json, question 2: needs "why", one sentence per choice in the same order \(3\).*it has 1\.$/),
    ]);
  });

  it('refuses an answer that sits at one position in more than half the questions', () => {
    expect(quizProblems(quiz([question(1), question(1), question(1), question(0)]))).toEqual([
      expect.stringMatching(/the answer is choice 2 in 3 of its 4 questions; vary its position \(at most 2 at one index\)\.$/),
    ]);
  });

  it('refuses an answer that is the uniquely longest choice in more than half the questions', () => {
    const longest = (answer: number) => question(answer, [10, 10, 10].map((n, i) => (i === answer ? 40 : n)));
    expect(quizProblems(quiz([longest(0), longest(1), longest(2), question(0)]))).toEqual([
      expect.stringMatching(/the answer is the longest choice in 3 of its 4 questions \(1, 2, 3\); at most 2 may be/),
    ]);
    // As long as the longest choice, but not longer: that is not a tell.
    const tied = (answer: number) => question(answer, [40, 40, 10]);
    expect(quizProblems(quiz([tied(0), tied(1), tied(0), question(2)]))).toEqual([]);
  });
});

describe('the course check of learner files', () => {
  it(`names the file and the line of each line wider than ${LEARNER_WIDTH} columns`, () => {
    const ok = file('ok.ts', `${'x'.repeat(80)}\n// ${'日'.repeat(38)}\n`);
    const wide = file('wide.ts', `const a = 1;\n${'y'.repeat(81)}\n// ${'日'.repeat(40)}\n`);
    expect(widthProblems([ok])).toEqual([]);
    expect(widthProblems([wide])).toEqual([
      expect.stringMatching(/wide\.ts, line 2: 81 columns; learner files stay within 80/),
      expect.stringMatching(/wide\.ts, line 3: 83 columns/),
    ]);
  });
});
