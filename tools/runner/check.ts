// Check: runs the lab's checker on the learner's tree, prints the report, and records the attempt.

import type { Lesson } from '../course/lessons.ts';
import { checkLesson, checkLessonLive, lessonReport, LiveReport, reportOptions, type LessonCheck, type LiveOutput } from '../check/check-lesson.ts';
import { prepareCheck, type PreparedCheck } from '../check/child.ts';
import { record } from '../progress/store.ts';
import { lessonsAfter, nextLesson, passedCount } from '../workbook/state.ts';
import { readingWidth, type RunnerContext } from './context.ts';
import { unbroken, wrap } from '../render/wrap.ts';

export interface CheckActionOptions {
  /** In this process (the `check` command: fastest) or in a child process (the menu, watch). */
  inProcess?: boolean;
  signal?: AbortSignal;
  /** A child process started ahead of time for this check (watch mode). */
  prepared?: PreparedCheck;
  /** Write the report as it goes, a check at a time; `text` then holds only what follows it. */
  live?: LiveOutput;
  /** Details for the first failure only. */
  compact?: boolean;
  /** Every check's line, the first failure in full. */
  firstInFull?: boolean;
  /** A command that stands in for the lab's server.ts (`--server`). */
  server?: string;
}

/** Checks the lab and records the attempt; returns the report to print (with a line on a pass). */
export async function checkAction(ctx: RunnerContext, lesson: Lesson, options: CheckActionOptions = {}): Promise<LessonCheck & { text: string }> {
  const { wb } = ctx;
  const context = { target: wb.target, server: options.server };
  const how = { context, style: wb.st, width: readingWidth(ctx), compact: options.compact, firstInFull: options.firstInFull };
  let checked: LessonCheck;
  if (options.inProcess) checked = options.live ? await checkLessonLive(lesson, how, options.live) : await checkLesson(lesson, how);
  else {
    const live = options.live ? new LiveReport(reportOptions(lesson, how), options.live) : undefined;
    const prepared = options.prepared ?? prepareCheck(lesson, { context });
    const result = await prepared.run({ signal: options.signal, onStart: live?.onStart, onCheck: live?.onCheck });
    live?.end(result);
    checked = lessonReport(lesson, result, how);
  }
  const before = wb.store.read();
  const after = wb.store.update(record.attempt(lesson.slug, checked.verdict.ok));
  const report = options.live ? [] : [checked.report];
  const passed = checked.verdict.ok ? [wrap(passedLine(ctx, lesson, !before.labs[lesson.slug]?.passed, after), readingWidth(ctx)).join('\n')] : [];
  return { ...checked, text: [...report, ...passed].join('\n') };
}

function passedLine(ctx: RunnerContext, lesson: Lesson, first: boolean, progress: ReturnType<RunnerContext['wb']['store']['read']>): string {
  const { wb } = ctx;
  const done = `${passedCount(wb.lessons, progress)} of ${wb.lessons.length} labs passed.`;
  // The next lab not passed after this one, or else the first one not passed.
  const next = nextLesson(lessonsAfter(wb.lessons, lesson), progress) ?? nextLesson(wb.lessons, progress);
  const onward = next
    ? `Next: ${next.number} · ${next.title} (${wb.st.code(unbroken(`npm start -- lesson ${next.number}`))}).`
    : 'That was the last lab: the workbook is done.';
  return `${first ? wb.st.ok(`Lab ${lesson.number} passed!`) + ' ' : ''}${done} ${onward}`;
}
