// Checks one lesson's lab and writes the learner's report. Shared by `check`, `grade` and the
// runner's menu and watch mode.

import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot, resolveTarget } from '../course/paths.ts';
import type { CheckContext } from '../harness/context.ts';
import { formatReport, ReportWriter, verdictOf, type ReportOptions, type Verdict } from './report.ts';
import { runChecker, type CheckerRunOptions } from './run-checker.ts';
import type { CheckResult, FileResult } from './results.ts';
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
  /** Every check's line, the first failure in full. */
  firstInFull?: boolean;
}

/** Runs the lesson's checker on what the context names and returns the results as data. */
export function runLessonChecker(
  lesson: Lesson,
  options: { context: CheckContext; only?: readonly string[] } & Pick<CheckerRunOptions, 'onStart' | 'onCheck' | 'onFallback'>,
): Promise<FileResult> {
  return runChecker(lesson.checker, options);
}

/** How the report on a lesson starts and ends. */
export function reportOptions(lesson: Lesson, options: Omit<CheckOptions, 'only'>): ReportOptions {
  const tree = relativeToRoot(path.join(resolveTarget(options.context.target), lesson.slug));
  // The title names what was checked, and reads the same whether the check is running or done.
  const what = options.context.server ? `your server \`${options.context.server}\` (the rest in ${tree}/)` : `${tree}/`;
  return {
    title: `Lab ${lesson.number} · ${lesson.title} · ${what}`,
    again: `npm start -- check ${lesson.number}`,
    style: options.style,
    width: options.width,
    compact: options.compact,
    firstInFull: options.firstInFull,
  };
}

/** The learner's report on a lesson's results. */
export function lessonReport(lesson: Lesson, result: FileResult, options: Omit<CheckOptions, 'only'>): LessonCheck {
  return { lesson, result, verdict: verdictOf(result), report: formatReport(result, reportOptions(lesson, options)) };
}

export async function checkLesson(lesson: Lesson, options: CheckOptions): Promise<LessonCheck> {
  return lessonReport(lesson, await runLessonChecker(lesson, options), options);
}

/** Where a live report goes: lines for good, and (at a terminal) a line that the next replaces. */
export interface LiveOutput {
  write(lines: string[]): void;
  /** The check now running; undefined clears it. */
  status?(text: string | undefined): void;
}

/** A report written as the checks are done: what checkLessonLive and the runner's check feed. */
export class LiveReport {
  private writer: ReportWriter;
  private readonly options: ReportOptions;
  private readonly out: LiveOutput;

  constructor(options: ReportOptions, out: LiveOutput) {
    this.options = options;
    this.out = out;
    this.writer = new ReportWriter(options);
    out.write(this.writer.title());
  }

  readonly onStart = (name: string) => this.out.status?.(`  ⋯ ${name}`);

  readonly onCheck = (check: CheckResult) => {
    this.out.status?.(undefined);
    this.out.write(this.writer.check(check));
  };

  readonly onFallback = () => {
    this.writer = new ReportWriter(this.options);
    this.out.write(['  (this checker uses more of vitest than the fast runner offers: running it with vitest)']);
  };

  end(result: FileResult): void {
    this.out.status?.(undefined);
    const lines: string[] = [];
    for (const error of result.errors) lines.push(...this.writer.error(error));
    lines.push(...this.writer.end(result));
    this.out.write(lines);
  }
}

/**
 * Checks the lesson and writes the report as it goes, a check at a time: the first ✘ shows as
 * soon as it is known. Returns the same as checkLesson.
 */
export async function checkLessonLive(lesson: Lesson, options: CheckOptions, out: LiveOutput): Promise<LessonCheck> {
  const report = reportOptions(lesson, options);
  const live = new LiveReport(report, out);
  const result = await runLessonChecker(lesson, { context: options.context, only: options.only, onStart: live.onStart, onCheck: live.onCheck, onFallback: live.onFallback });
  live.end(result);
  return { lesson, result, verdict: verdictOf(result), report: formatReport(result, report) };
}
