// The course check: every lesson has every piece, every include in its text resolves, and each
// problem names the file to add and what it must hold (rustlings' `dev check`, for this workbook).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { displayWidth } from '../render/display.ts';
import { resolveIncludes } from './include.ts';
import { labFiles, type Lesson } from './lessons.ts';
import { relativeToRoot } from './paths.ts';

/**
 * A lesson's quiz.json: 3 to 5 questions, each
 *
 *   {
 *     "question":    "Inline markdown: `code` in backticks is shown as code.",
 *     "choices":     ["…", "…", "…"],          // 2 or more, written from real misconceptions
 *     "answer":      1,                        // the index of the right choice in `choices`
 *     "explanation": "What the question teaches, shown after every answer.",
 *     "why":         ["…", "…", "…"]           // one sentence per choice, in the same order:
 *   }                                          // why that choice is right, or why it is wrong
 *
 * The quiz shows the choices shuffled, so their order in the file is the author's. Across a
 * lesson's questions the answer's index varies (no index is the answer of more than half of them,
 * rounded up), and the answer is the uniquely longest choice in at most half of them (rounded
 * down): a learner should not pass by picking a position or the longest answer.
 */
export interface Quiz {
  questions: QuizQuestion[];
}

export interface QuizQuestion {
  question: string;
  choices: string[];
  answer: number;
  explanation: string;
  why: string[];
}

/** The problems with one lesson; an empty list means it is complete. */
export function lessonProblems(lesson: Lesson, root: string): string[] {
  const problems: string[] = [];
  const at = (file: string) => relativeToRoot(path.join(lesson.dir, file));
  const need = (file: string, what: string) => {
    if (!existsSync(path.join(lesson.dir, file))) problems.push(`${lesson.slug} has no ${file}: add ${at(file)} (${what}).`);
  };
  need('lesson.md', 'the lesson text; "# NN · Title", then one "## " section per step');
  need('hints.md', 'at least 3 hints, one per "## " section, from a nudge to nearly the answer');
  need('quiz.json', '3 to 5 questions: { "questions": [{ "question", "choices", "answer", "explanation", "why" }] }, see Quiz in tools/course/completeness.ts');
  need('server.ts', 'the demo server, following the server contract in DESIGN.md');

  const text = read(path.join(lesson.dir, 'lesson.md'));
  if (text !== undefined) {
    if (!new RegExp(`^# ${lesson.number} · .+`).test(text)) problems.push(`${at('lesson.md')} must start with "# ${lesson.number} · <title>".`);
    if ((text.match(/^## /gm) ?? []).length < 2) problems.push(`${at('lesson.md')} needs at least 2 steps ("## " sections).`);
    for (const p of resolveIncludes(text, lesson.dir).problems) {
      problems.push(`${at('lesson.md')}, line ${p.line}: <!-- include: ${p.include} --> shows nothing: ${p.message}.`);
    }
  }
  const hints = read(path.join(lesson.dir, 'hints.md'));
  if (hints !== undefined && splitSections(hints).length < 3) problems.push(`${at('hints.md')} has fewer than 3 hints ("## " sections).`);
  problems.push(...quizProblems(path.join(lesson.dir, 'quiz.json')));

  const filesIn = (tree: string) => labFiles(path.join(root, tree), lesson).map((f) => path.basename(f));
  const names = { starters: filesIn('starters'), solutions: filesIn('solutions') };
  if (names.solutions.length === 0) problems.push(`${lesson.slug} has no solution: add solutions/${lesson.slug}/ with the lab's files.`);
  if (names.starters.join() !== names.solutions.join()) {
    problems.push(`starters/${lesson.slug}/ must hold the same files as solutions/${lesson.slug}/ (${names.solutions.join(', ') || 'none'}); it has ${names.starters.join(', ') || 'none'}.`);
  }
  for (const tree of ['starters', 'solutions']) problems.push(...widthProblems(labFiles(path.join(root, tree), lesson)));
  if (!existsSync(lesson.checker)) problems.push(`${lesson.slug} has no checker: add ${relativeToRoot(lesson.checker)}.`);
  const variants = path.join(root, 'test', 'variants', lesson.slug, 'variants.ts');
  if (!existsSync(variants)) {
    problems.push(`${lesson.slug} has no known answers: add ${relativeToRoot(variants)} with at least 3 bugs learners write and 1 correct answer written differently (see tools/check/variants.ts).`);
  }
  return problems;
}

/** Lesson-shaped things that belong to no lesson: a checker, lab or solution without lessons/NN-slug/. */
export function strayProblems(lessons: readonly Lesson[], root: string): string[] {
  const slugs = new Set(lessons.map((l) => l.slug));
  const problems: string[] = [];
  for (const tree of ['labs', 'starters', 'solutions']) {
    const dir = path.join(root, tree);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (/^\d{2}-/.test(name) && !slugs.has(name)) problems.push(`${tree}/${name}/ belongs to no lesson: add lessons/${name}/ or remove it.`);
    }
  }
  const checkers = path.join(root, 'test', 'checkers');
  if (existsSync(checkers)) {
    for (const name of readdirSync(checkers)) {
      const slug = name.replace(/\.test\.ts$/, '');
      if (name.endsWith('.test.ts') && !slugs.has(slug)) problems.push(`test/checkers/${name} belongs to no lesson: add lessons/${slug}/ or remove it.`);
    }
  }
  return problems;
}

/** Learner files are read in an 80-column editor and side by side in Compare. */
export const LEARNER_WIDTH = 80;

/**
 * Lines of learner files (a lab's starter and solution) wider than LEARNER_WIDTH columns. The
 * labs/ a learner edits are not checked: as shipped they are the starters, byte for byte.
 */
export function widthProblems(files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const wide = readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line: i + 1, width: displayWidth(line) }))
      .filter((l) => l.width > LEARNER_WIDTH);
    for (const l of wide.slice(0, 3)) {
      problems.push(`${relativeToRoot(file)}, line ${l.line}: ${l.width} columns; learner files stay within ${LEARNER_WIDTH}, so that they read unwrapped in an 80-column editor and in Compare.`);
    }
    if (wide.length > 3) problems.push(`${relativeToRoot(file)}: ${wide.length - 3} more lines wider than ${LEARNER_WIDTH} columns.`);
  }
  return problems;
}

export function splitSections(markdown: string): string[] {
  return markdown.split(/^## /m).slice(1).map((s) => s.trim());
}

/** What is wrong with a quiz.json (none: nothing; it is not there: nothing either). */
export function quizProblems(file: string): string[] {
  const text = read(file);
  if (text === undefined) return [];
  const where = relativeToRoot(file);
  let quiz: Quiz;
  try {
    quiz = JSON.parse(text) as Quiz;
  } catch (err) {
    return [`${where} is not valid JSON: ${(err as Error).message}`];
  }
  const qs = Array.isArray(quiz?.questions) ? quiz.questions : [];
  const problems: string[] = [];
  if (qs.length < 3 || qs.length > 5) problems.push(`${where} must have 3 to 5 questions; it has ${qs.length}.`);
  const isText = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  const wellFormed = qs.filter((q, i) => {
    const at = `${where}, question ${i + 1}`;
    const ok =
      isText(q.question) &&
      Array.isArray(q.choices) &&
      q.choices.length >= 2 &&
      q.choices.every(isText) &&
      Number.isInteger(q.answer) &&
      q.answer >= 0 &&
      q.answer < q.choices.length &&
      isText(q.explanation);
    if (!ok) {
      problems.push(`${at}: needs "question", at least 2 "choices", an "answer" index among them and an "explanation".`);
      return false;
    }
    if (new Set(q.choices).size !== q.choices.length) problems.push(`${at}: two of its choices are the same.`);
    if (!Array.isArray(q.why) || q.why.length !== q.choices.length || !q.why.every(isText)) {
      problems.push(`${at}: needs "why", one sentence per choice in the same order (${q.choices.length}), saying why that choice is right or wrong; it has ${Array.isArray(q.why) ? q.why.length : 'none'}.`);
    }
    return true;
  });
  if (wellFormed.length !== qs.length || qs.length === 0) return problems;

  // A learner must not pass by picking a position, or the longest answer.
  const counts = new Map<number, number>();
  for (const q of qs) counts.set(q.answer, (counts.get(q.answer) ?? 0) + 1);
  const [index, most] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  if (most > Math.ceil(qs.length / 2)) {
    problems.push(`${where}: the answer is choice ${index + 1} in ${most} of its ${qs.length} questions; vary its position (at most ${Math.ceil(qs.length / 2)} at one index).`);
  }
  const longest = qs.map((q, i) => ({ q, i })).filter(({ q }) => {
    const len = (c: string) => [...c].length;
    return q.choices.every((c, k) => k === q.answer || len(c) < len(q.choices[q.answer]!));
  });
  if (longest.length > Math.floor(qs.length / 2)) {
    problems.push(`${where}: the answer is the longest choice in ${longest.length} of its ${qs.length} questions (${longest.map(({ i }) => i + 1).join(', ')}); at most ${Math.floor(qs.length / 2)} may be: make a wrong choice as full as the right one, or the right one shorter.`);
  }
  return problems;
}

function read(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
