// Checks one lesson's lab and writes the learner's report. Shared by `check`, `grade` and the
// runner's menu and watch mode.

import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot, resolveTarget } from '../course/paths.ts';
import { formatReport, verdictOf, type Verdict } from './report.ts';
import { runCheckers, type FileResult } from './run-checkers.ts';
import { runCheckerInProcess } from './in-process.ts';
import type { Style } from '../term/style.ts';

export interface LessonCheck {
  lesson: Lesson;
  result: FileResult;
  verdict: Verdict;
  report: string;
}

export interface CheckOptions {
  target?: string;
  style: Style;
  /** Run only the checks with these names (the rest are reported as skipped). */
  only?: readonly string[];
  /** Wrap the report to this many columns. */
  width?: number;
  /** Details for the first failure only. */
  compact?: boolean;
}

/** Runs the lesson's checker against the target tree and returns the results as data. */
export async function runLessonChecker(lesson: Lesson, options: Omit<CheckOptions, 'style'> = {}): Promise<FileResult> {
  const result =
    (await runCheckerInProcess(lesson.checker, options.target, { only: options.only })) ??
    (await runCheckers([lesson.checker], { target: options.target }))[0];
  return (
    result ?? {
      file: relativeToRoot(lesson.checker),
      checks: [],
      errors: [`The checker ${relativeToRoot(lesson.checker)} did not run.`],
    }
  );
}

/** The learner's report on a lesson's results. */
export function lessonReport(lesson: Lesson, result: FileResult, options: CheckOptions): LessonCheck {
  const tree = relativeToRoot(path.join(resolveTarget(options.target), lesson.slug));
  const report = formatReport(result, {
    title: `Lab ${lesson.number} · ${lesson.title} — checking ${tree}/`,
    again: `npm start -- check ${lesson.number}`,
    style: options.style,
    width: options.width,
    compact: options.compact,
  });
  return { lesson, result, verdict: verdictOf(result), report };
}

export async function checkLesson(lesson: Lesson, options: CheckOptions): Promise<LessonCheck> {
  return lessonReport(lesson, await runLessonChecker(lesson, options), options);
}
