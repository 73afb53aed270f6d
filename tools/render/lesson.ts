// A lesson as the learner reads it: lesson.md with its includes resolved, rendered whole
// (`npm start -- lesson NN`) or one step at a time (the runner's Read screen).
//
// Steps: one per "## " section. The text before the first "## " (the "# NN · Title" heading
// and any introduction) is shown at the top of the first step, so the first screen names the
// lesson. Each step's text starts with its own "## " heading; `title` is that heading as plain
// text (inline code and emphasis without their marks), for menus and progress lines.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Token } from 'markdown-it';
import { resolveIncludes } from './include.ts';
import { parse, renderTokens, type RenderOptions } from './markdown.ts';

export interface LessonStep {
  title: string;
  text: string;
}

/** lesson.md with includes resolved; a missing include shows as a warning where the code would be. */
export function lessonMarkdown(lessonDir: string): string {
  return resolveIncludes(readFileSync(path.join(lessonDir, 'lesson.md'), 'utf8'), lessonDir).markdown;
}

export function renderLesson(lessonDir: string, options: RenderOptions): string {
  return renderTokens(parse(lessonMarkdown(lessonDir)), options);
}

export function lessonSteps(lessonDir: string, options: RenderOptions): LessonStep[] {
  const tokens = parse(lessonMarkdown(lessonDir));
  const starts = tokens.flatMap((t, i) => (t.type === 'heading_open' && t.tag === 'h2' && t.level === 0 ? [i] : []));
  if (starts.length === 0) {
    const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
    return [{ title: h1 >= 0 ? plainText(tokens[h1 + 1]) : path.basename(lessonDir), text: renderTokens(tokens, options) }];
  }
  return starts.map((start, n) => {
    const from = n === 0 ? 0 : start;
    const to = starts[n + 1] ?? tokens.length;
    return { title: plainText(tokens[start + 1]), text: renderTokens(tokens.slice(from, to), options) };
  });
}

/** An inline token's text without marks: "`recvfrom` returns …" → "recvfrom returns …". */
function plainText(token: Token | undefined): string {
  return (token?.children ?? [])
    .map((c) => (c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : c.type === 'text' || c.type === 'code_inline' ? c.content : ''))
    .join('');
}
