// The course check: every lesson has every piece, every include in its text resolves, and each
// problem names the file to add and what it must hold (rustlings' `dev check`, for this workbook).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveIncludes } from './include.ts';
import { labFiles, type Lesson } from './lessons.ts';
import { relativeToRoot } from './paths.ts';

export interface Quiz {
  questions: { question: string; choices: string[]; answer: number; explanation: string }[];
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
  need('quiz.json', '3 to 5 questions: { "questions": [{ "question", "choices", "answer", "explanation" }] }');
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

export function splitSections(markdown: string): string[] {
  return markdown.split(/^## /m).slice(1).map((s) => s.trim());
}

function quizProblems(file: string): string[] {
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
  qs.forEach((q, i) => {
    const ok =
      typeof q.question === 'string' &&
      Array.isArray(q.choices) &&
      q.choices.length >= 2 &&
      Number.isInteger(q.answer) &&
      q.answer >= 0 &&
      q.answer < q.choices.length &&
      typeof q.explanation === 'string' &&
      q.explanation.length > 0;
    if (!ok) problems.push(`${where}, question ${i + 1}: needs "question", at least 2 "choices", an "answer" index among them and an "explanation".`);
  });
  return problems;
}

function read(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
