// Inline markdown (emphasis, strong, code, links, breaks) to one styled string, by a table of
// rules keyed by token type, like the block rules in markdown.ts. Opening tokens push a frame,
// closing ones pop it and paint what it gathered, so styles nest as the markdown does.

import type { Token } from 'markdown-it';
import type { Palette } from '../term/style.ts';
import { NO_BREAK } from './wrap.ts';

// Inline code (a command, a path, an expression) is never broken across lines: it moves whole
// to the next line, and only one wider than a whole line breaks, at its spaces.

type InlineState = { text: string; finish: (inner: string) => string }[];
type InlineRule = (token: Token, stack: InlineState, p: Palette) => void;

const append = (stack: InlineState, text: string) => (stack.at(-1)!.text += text);
const open = (style: (p: Palette, token: Token) => (inner: string) => string): InlineRule => (token, stack, p) => {
  stack.push({ text: '', finish: style(p, token) });
};
const close: InlineRule = (_token, stack) => {
  if (stack.length < 2) return;
  const { text, finish } = stack.pop()!;
  append(stack, finish(text));
};

const inlineRules: Record<string, InlineRule> = {
  text: (t, stack) => append(stack, t.content),
  // A short span of code (a command, a call) stays on one line, so that it reads and copies whole.
  code_inline: (t, stack, p) => append(stack, p.code(t.content.replaceAll(' ', NO_BREAK))),
  softbreak: (_t, stack) => append(stack, ' '),
  hardbreak: (_t, stack) => append(stack, '\n'),
  strong_open: open((p) => p.strong),
  strong_close: close,
  em_open: open((p) => p.em),
  em_close: close,
  s_open: open((p) => p.del),
  s_close: close,
  link_open: open((p, t) => {
    const href = attr(t, 'href');
    // A bare URL or <autolink> shows once; any other link shows its text, then where it goes.
    if (t.markup === 'linkify' || t.markup === 'autolink') return (inner) => p.url(inner);
    return (inner) => `${p.link(inner)} (${p.url(href)})`;
  }),
  link_close: close,
  image: (t, stack, p) => append(stack, `${p.em(`[image: ${t.content}]`)} (${p.url(attr(t, 'src'))})`),
  html_inline: (t, stack) => append(stack, /^<br\s*\/?>$/i.test(t.content) ? '\n' : t.content.startsWith('<!--') ? '' : t.content),
};

/** An inline token's children as one styled string ("\n" where a hard break is). */
export function renderInline(token: Token | undefined, palette: Palette): string {
  const stack: InlineState = [{ text: '', finish: (s) => s }];
  for (const child of token?.children ?? []) {
    const rule = inlineRules[child.type] ?? ((t, s) => append(s, t.content));
    rule(child, stack, palette);
  }
  while (stack.length > 1) close(token!, stack, palette);
  return stack[0]!.text;
}

const attr = (token: Token, name: string) => String(token.attrGet(name) ?? '');
