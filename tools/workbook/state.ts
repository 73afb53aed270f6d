// Where the learner stands: each lesson's mark (✔ passed, ▸ the next to do, · not started) and
// the progress bar, as plain data and short strings shared by the menu, `list` and `progress`.

import type { Lesson } from '../course/lessons.ts';
import type { Style } from '../term/style.ts';
import { labProgress, type Progress } from '../progress/store.ts';

export type LessonMark = 'passed' | 'next' | 'todo';

/** The first lesson whose lab has not passed, or undefined when all have. */
export function nextLesson(lessons: readonly Lesson[], progress: Progress): Lesson | undefined {
  return lessons.find((l) => !labProgress(progress, l.slug).passed);
}

/** The lessons after this one (found by slug: lesson objects from different lookups differ). */
export function lessonsAfter(lessons: readonly Lesson[], lesson: Lesson): Lesson[] {
  return lessons.slice(lessons.findIndex((l) => l.slug === lesson.slug) + 1);
}

export function markOf(lesson: Lesson, lessons: readonly Lesson[], progress: Progress): LessonMark {
  if (labProgress(progress, lesson.slug).passed) return 'passed';
  return nextLesson(lessons, progress)?.slug === lesson.slug ? 'next' : 'todo';
}

export function markSymbol(mark: LessonMark, st: Style): string {
  return mark === 'passed' ? st.ok('✔') : mark === 'next' ? st.accent('▸') : st.dim('·');
}

export function passedCount(lessons: readonly Lesson[], progress: Progress): number {
  return lessons.filter((l) => labProgress(progress, l.slug).passed).length;
}

/** `[■■■■□□□□□□] 4 of 10 labs passed` in at most `width` columns. */
export function progressBar(lessons: readonly Lesson[], progress: Progress, st: Style, width = 80): string {
  const done = passedCount(lessons, progress);
  const total = lessons.length;
  const label = ` ${done} of ${total} labs passed`;
  const cells = Math.max(0, Math.min(total * 2, width - label.length - 2));
  const filled = total === 0 ? 0 : Math.round((done / total) * cells);
  if (cells === 0) return label.trim();
  return `[${st.ok('■'.repeat(filled))}${st.dim('□'.repeat(cells - filled))}]${label}`;
}

/** One line per lesson: mark, number, title. */
export function lessonLine(lesson: Lesson, lessons: readonly Lesson[], progress: Progress, st: Style): string {
  return `${markSymbol(markOf(lesson, lessons, progress), st)} ${st.accent(lesson.number)}  ${lesson.title}`;
}
