// Checks one lesson's lab and writes the learner's report. Shared by `check`, `grade` and the
// runner's menu and watch mode.

import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot, resolveTarget } from '../course/paths.ts';
import { formatReport, verdictOf, type Verdict } from './report.ts';
import { runCheckers, type FileResult } from './run-checkers.ts';
import { runCheckerInProcess } from './in-process.ts';
import type { Style } from '../cli/style.ts';

export interface LessonCheck {
  lesson: Lesson;
  result: FileResult;
  verdict: Verdict;
  report: string;
}

export interface CheckOptions {
  target?: string;
  style: Style;
  /** Run the checker through vitest instead of in this process (slower; the self-test does). */
  vitest?: boolean;
}

export async function checkLesson(lesson: Lesson, options: CheckOptions): Promise<LessonCheck> {
  const result =
    (!options.vitest ? await runCheckerInProcess(lesson.checker, options.target) : undefined) ??
    (await runCheckers([lesson.checker], { target: options.target }))[0];
  const safe: FileResult = result ?? {
    file: relativeToRoot(lesson.checker),
    checks: [],
    errors: [`The checker ${relativeToRoot(lesson.checker)} did not run.`],
  };
  const tree = relativeToRoot(path.join(resolveTarget(options.target), lesson.slug));
  const report = formatReport(safe, {
    title: `Lab ${lesson.number} · ${lesson.title} — checking ${tree}/`,
    again: `npm start -- check ${lesson.number}`,
    style: options.style,
  });
  return { lesson, result: safe, verdict: verdictOf(safe), report };
}
