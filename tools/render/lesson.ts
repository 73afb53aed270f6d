// A lesson one step at a time, for the runner's Read screen (the whole lesson is renderMarkdown's).
//
// Steps: one per "## " section. The text before the first "## " (the "# NN · Title" heading
// and any introduction) is shown at the top of the first step, so the first screen names the
// lesson. Each step's text starts with its own "## " heading; `title` is that heading as plain
// text (inline code and emphasis without their marks), for menus and progress lines.

import type { Token } from 'markdown-it';
import { parse, renderTokens, type RenderOptions } from './markdown.ts';

export interface LessonStep {
  title: string;
  text: string;
}

/** The steps of a lesson's markdown (includes already resolved); `untitled` names a text without headings. */
export function lessonSteps(markdown: string, options: RenderOptions, untitled = ''): LessonStep[] {
  const tokens = parse(markdown);
  const starts = tokens.flatMap((t, i) => (t.type === 'heading_open' && t.tag === 'h2' && t.level === 0 ? [i] : []));
  if (starts.length === 0) {
    const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
    return [{ title: h1 >= 0 ? plainText(tokens[h1 + 1]) : untitled, text: renderTokens(tokens, options) }];
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
