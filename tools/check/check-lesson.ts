// Checks one lesson's lab and writes the learner's report. Shared by `check`, `grade` and the
// runner's menu and watch mode.

import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot, resolveTarget } from '../course/paths.ts';
import type { CheckContext } from '../harness/context.ts';
import { formatReport, ReportWriter, verdictOf, type ReportOptions, type Verdict } from './report.ts';
import { runChecker, type CheckerRunOptions } from './run-checker.ts';
import type { FileResult } from './results.ts';
import type { Style } from '../term/style.ts';

export interface LessonCheck {
  lesson: Lesson;
  result: FileResult;
  verdict: Verdict;
  report: string;
}

export interface CheckOptions {
  context: CheckContext;
  style: Style;
  /** Run only the checks with these names (the rest are reported as skipped). */
  only?: readonly string[];
  /** Wrap the report to this many columns. */
  width?: number;
  /** Details for the first failure only. */
  compact?: boolean;
}

/** Runs the lesson's checker on what the context names and returns the results as data. */
export function runLessonChecker(
  lesson: Lesson,
  options: { context: CheckContext; only?: readonly string[] } & Pick<CheckerRunOptions, 'onCheck' | 'onFallback'>,
): Promise<FileResult> {
  return runChecker(lesson.checker, options);
}

/** How the report on a lesson starts and ends. */
export function reportOptions(lesson: Lesson, options: Omit<CheckOptions, 'only'>): ReportOptions {
  const tree = relativeToRoot(path.join(resolveTarget(options.context.target), lesson.slug));
  const what = options.context.server ? `the server \`${options.context.server}\` (${tree}/ for the rest)` : `${tree}/`;
  return {
    title: `Lab ${lesson.number} · ${lesson.title} — checking ${what}`,
    again: `npm start -- check ${lesson.number}`,
    style: options.style,
    width: options.width,
    compact: options.compact,
  };
}

/** The learner's report on a lesson's results. */
export function lessonReport(lesson: Lesson, result: FileResult, options: Omit<CheckOptions, 'only'>): LessonCheck {
  return { lesson, result, verdict: verdictOf(result), report: formatReport(result, reportOptions(lesson, options)) };
}

export async function checkLesson(lesson: Lesson, options: CheckOptions): Promise<LessonCheck> {
  return lessonReport(lesson, await runLessonChecker(lesson, options), options);
}

/**
 * Checks the lesson and writes the report as it goes, a check at a time: the first ✘ shows as
 * soon as it is known. Returns the same as checkLesson.
 */
export async function checkLessonLive(lesson: Lesson, options: CheckOptions, write: (lines: string[]) => void): Promise<LessonCheck> {
  const report = reportOptions(lesson, options);
  let writer = new ReportWriter(report);
  write(writer.title());
  const result = await runLessonChecker(lesson, {
    context: options.context,
    only: options.only,
    onCheck: (check) => write(writer.check(check)),
    onFallback: () => {
      writer = new ReportWriter(report);
      write(['  (this checker uses more of vitest than the fast runner offers: running it with vitest)']);
    },
  });
  const lines: string[] = [];
  for (const error of result.errors) lines.push(...writer.error(error));
  lines.push(...writer.end(result));
  write(lines);
  return { lesson, result, verdict: verdictOf(result), report: formatReport(result, report) };
}
