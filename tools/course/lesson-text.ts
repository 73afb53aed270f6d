// A lesson's text as the learner reads it: lesson.md with its includes resolved. The renderer
// then turns the text into terminal lines; it reads no file itself.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveIncludes } from './include.ts';

/** lesson.md with includes resolved; a missing include shows as a warning where the code would be. */
export function lessonMarkdown(lessonDir: string): string {
  return resolveIncludes(readFileSync(path.join(lessonDir, 'lesson.md'), 'utf8'), lessonDir).markdown;
}
