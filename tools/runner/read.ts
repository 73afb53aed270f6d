// Read: the lesson one step ("## " section) at a time, with next, previous and back. A step taller
// than the terminal is shown a screenful at a time, so that nothing scrolls out of sight.

import type { Lesson } from '../course/lessons.ts';
import { lessonMarkdown } from '../course/lesson-text.ts';
import { lessonSteps } from '../render/index.ts';
import { readingWidth, type RunnerContext } from './context.ts';
import { palette } from './text.ts';
import type { Prompts } from './prompts.ts';
import { clearScreen, print, screenOf } from './screen.ts';

/** Lines the header above and the prompt below take (question, up to 3 choices, help). */
const CHROME_ROWS = 7;

interface Page {
  step: number;
  title: string;
  text: string;
  /** 0-based page of its step, and how many pages the step has. */
  page: number;
  pages: number;
}

export function pagesOf(steps: readonly { title: string; text: string }[], rows: number): Page[] {
  const height = Math.max(6, rows - CHROME_ROWS);
  return steps.flatMap((s, step) => {
    const chunks = splitLines(s.text.replace(/\n+$/, '').split('\n'), height);
    return chunks.map((lines, page) => ({ step, title: s.title, text: lines.join('\n'), page, pages: chunks.length }));
  });
}

/**
 * Pages of at most `height` lines, as even as they can be: as few pages as fit, each ending near
 * the same length (at a blank line where one is close), so that no page is a scrap.
 */
function splitLines(lines: string[], height: number): string[][] {
  const pages: string[][] = [];
  let rest = lines;
  while (rest.length > height) {
    const left = Math.ceil(rest.length / height);
    const target = Math.ceil(rest.length / left);
    // The blank line closest to the target, within a quarter of a page either way.
    let cut = Math.min(height, target);
    for (let d = 0; d <= Math.floor(target / 4); d++) {
      const at = [target + d, target - d].find((k) => k <= height && k > 0 && rest[k - 1]!.trim() === '');
      if (at !== undefined) {
        cut = at;
        break;
      }
    }
    pages.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pages.push(rest);
  return pages;
}

export async function readAction(ctx: RunnerContext, prompts: Prompts, lesson: Lesson): Promise<void> {
  const { wb } = ctx;
  const steps = lessonSteps(lessonMarkdown(lesson.dir), { width: readingWidth(ctx), palette: palette(ctx) }, lesson.slug);
  const pages = pagesOf(steps, screenOf(wb.io).rows);
  let i = 0;
  for (;;) {
    const page = pages[i]!;
    const next = pages[i + 1];
    const previous = pages[i - 1];
    clearScreen(wb.io);
    const more = page.pages > 1 ? `, page ${page.page + 1} of ${page.pages}` : '';
    print(wb.io, wb.st.dim(`Lesson ${lesson.number} · step ${page.step + 1} of ${steps.length}${more}`));
    print(wb.io, page.text);
    const label = (p: Page) => (p.step === page.step ? `the rest of "${p.title}"` : p.title);
    const choice = await prompts.select<'next' | 'previous' | 'back'>('Go on?', [
      next ? { value: 'next', name: `Next: ${label(next)}` } : { value: 'back', name: 'Done: back to the lesson' },
      ...(previous ? [{ value: 'previous' as const, name: `Previous: ${previousLabel(previous, page)}` }] : []),
      ...(next ? [{ value: 'back' as const, name: 'Back to the lesson' }] : []),
    ]);
    if (choice === 'back') return;
    i += choice === 'next' ? 1 : -1;
  }
}

/** What "Previous" goes back to: the page before, named for what it is. */
function previousLabel(previous: Page, page: Page): string {
  if (previous.step !== page.step) return previous.title;
  return previous.page === 0 ? 'the start of this step' : `page ${previous.page + 1} of this step`;
}
