// A lesson's hints: hints.md, one "## " section each, from a nudge to nearly the answer.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { splitSections } from '../course/completeness.ts';

export interface Hint {
  /** 1-based. */
  number: number;
  total: number;
  /** The section's heading, e.g. "Hint 2". */
  title: string;
  /** The hint's markdown, without its heading. */
  body: string;
}

export function loadHints(lesson: Lesson): Hint[] {
  const file = path.join(lesson.dir, 'hints.md');
  if (!existsSync(file)) return [];
  const sections = splitSections(readFileSync(file, 'utf8'));
  return sections.map((section, i) => {
    const [heading = '', ...rest] = section.split('\n');
    return { number: i + 1, total: sections.length, title: heading.trim(), body: rest.join('\n').trim() };
  });
}

/**
 * The hint to show after `seen` have been shown: the next one, or the last again once all are
 * seen (`again` is then true).
 */
export function nextHint(hints: readonly Hint[], seen: number): { hint: Hint; again: boolean } | undefined {
  if (hints.length === 0) return undefined;
  const again = seen >= hints.length;
  return { hint: hints[again ? hints.length - 1 : seen]!, again };
}
