// Markdown to terminal text, shaped like markdown-it's own renderer (lib/renderer.mjs): one
// table of rules keyed by token type, one dispatch loop, and a default for any other token.
// Block rules return lines no wider than the width they are given; containers (lists, quotes)
// render their inner tokens with the same loop at a smaller width and add their prefix.
// Pure: the same markdown and options always give the same text.

import MarkdownIt, { type Token } from 'markdown-it';
import { callout } from './callout.ts';
import { codeBlock } from './code.ts';
import { renderInline } from './inline.ts';
import type { Palette } from '../term/style.ts';
import { renderTable, type Align } from './table.ts';
import { displayWidth } from './display.ts';
import { wrap, wrapCode } from './wrap.ts';
import { MIN_WIDTH } from './width.ts';

export interface RenderOptions {
  /** Columns available; below MIN_WIDTH, MIN_WIDTH is used. */
  width: number;
  palette: Palette;
  /** For screen readers and copy-paste: no box drawing, ASCII structure ("# ", "- ", "Note:"). */
  plain?: boolean;
}

/** A quote or list keeps its bar or marker only while this much room is left inside it. */
const MIN_INNER = 10;

interface Context {
  width: number;
  palette: Palette;
  plain: boolean;
  /** How deep in lists: picks the bullet. */
  depth: number;
}

/** What a block rule gives back: its lines (none for tokens that show nothing) and the index after it. */
type BlockRule = (tokens: Token[], i: number, ctx: Context) => { lines?: string[]; next: number };

// html: comments (such as includes) arrive as html tokens, not as text. Bare URLs become links,
// but only with a scheme (https://…): a file name such as lesson.md is not a web address.
const parser = new MarkdownIt({ html: true, linkify: true });
parser.linkify.set({ fuzzyLink: false });

export function parse(markdown: string): Token[] {
  return parser.parse(markdown, {});
}

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  return renderTokens(parse(markdown), options);
}

/** Renders top-level tokens (a whole document, or a slice of one at top-level boundaries). */
export function renderTokens(tokens: Token[], { width, palette, plain = false }: RenderOptions): string {
  return renderBlocks(tokens, { width: Math.max(MIN_WIDTH, Math.floor(width)), palette, plain, depth: 0 }).join('\n');
}

/** The dispatch loop: each block's lines, blocks separated by `gap` blank lines. */
function renderBlocks(tokens: Token[], ctx: Context, gap = 1): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    const rule = blockRules[token.type] ?? defaultRule;
    const { lines, next } = rule(tokens, i, ctx);
    if (lines && lines.length > 0) {
      if (out.length > 0) out.push(...Array<string>(gap).fill(''));
      out.push(...lines);
    }
    i = next;
  }
  return out;
}

const blockRules: Record<string, BlockRule> = {
  paragraph_open: (tokens, i, ctx) => ({ lines: wrap(renderInline(tokens[i + 1], ctx.palette), ctx.width), next: closing(tokens, i) + 1 }),

  heading_open: (tokens, i, ctx) => {
    const level = Number(tokens[i]!.tag.slice(1));
    const text = renderInline(tokens[i + 1], ctx.palette);
    const next = closing(tokens, i) + 1;
    const { palette: p } = ctx;
    if (ctx.plain || level > 2) {
      const prefix = '#'.repeat(level) + ' ';
      const paint = level === 1 ? p.heading1 : level === 2 ? p.heading2 : p.heading3;
      return { lines: hanging(paint(text), prefix, ctx.width), next };
    }
    const lines = wrap((level === 1 ? p.heading1 : p.heading2)(text), ctx.width);
    const underline = (level === 1 ? '═' : '─').repeat(Math.max(...lines.map(displayWidth)));
    return { lines: [...lines, p.border(underline)], next };
  },

  bullet_list_open: list,
  ordered_list_open: list,

  blockquote_open: (tokens, i, ctx) => {
    const end = closing(tokens, i);
    const inner = tokens.slice(i + 1, end);
    const found = callout(inner);
    const paint = found ? ctx.palette[found.kind] : ctx.palette.border;
    const narrow = ctx.width - 2 < MIN_INNER; // nested too deep to draw one more bar
    const body = renderBlocks(found?.body ?? inner, { ...ctx, width: narrow ? ctx.width : ctx.width - 2 });
    if (narrow) return { lines: found ? [paint(ctx.palette.strong(found.label)), ...body] : body, next: end + 1 };
    if (ctx.plain) {
      const label = found ? [paint(`${found.label}:`)] : [];
      return { lines: [...label, ...indent(body, '  ')], next: end + 1 };
    }
    const label = found ? [paint(ctx.palette.strong(found.label))] : [];
    const bar = paint(found ? '┃' : '│');
    return { lines: [...label, ...body].map((line) => (line === '' ? bar : `${bar} ${line}`)), next: end + 1 };
  },

  fence: (tokens, i, ctx) => ({ lines: codeBlock(tokens[i]!.content, tokens[i]!.info, ctx), next: i + 1 }),
  code_block: (tokens, i, ctx) => ({ lines: codeBlock(tokens[i]!.content, '', ctx), next: i + 1 }),

  hr: (_tokens, i, ctx) => ({ lines: [ctx.plain ? '---' : ctx.palette.border('─'.repeat(ctx.width))], next: i + 1 }),

  html_block: (tokens, i, ctx) => {
    const html = tokens[i]!.content.replace(/<!--[\s\S]*?-->/g, '').trim();
    return { lines: html ? html.split('\n').flatMap((line) => wrapCode(line, ctx.width)) : [], next: i + 1 };
  },

  table_open: (tokens, i, ctx) => {
    const end = closing(tokens, i);
    const rows: string[][] = [];
    const align: (Align | undefined)[] = [];
    for (let j = i + 1; j < end; j++) {
      const t = tokens[j]!;
      if (t.type === 'tr_open') rows.push([]);
      if ((t.type === 'th_open' || t.type === 'td_open') && rows.length === 1) {
        align.push(/text-align:(left|center|right)/.exec(String(t.attrGet('style') ?? ''))?.[1] as Align | undefined);
      }
      if (t.type === 'inline') rows.at(-1)?.push(renderInline(t, ctx.palette));
    }
    const [header = [], ...body] = rows;
    return { lines: renderTable({ header, rows: body, align }, ctx), next: end + 1 };
  },
};

/** Any other token: a container shows its content; a leaf its text; a closing token nothing. */
const defaultRule: BlockRule = (tokens, i, ctx) => {
  const token = tokens[i]!;
  if (token.nesting === 1) {
    const end = closing(tokens, i);
    return { lines: renderBlocks(tokens.slice(i + 1, end), ctx), next: end + 1 };
  }
  if (token.nesting === 0 && token.type === 'inline') return { lines: wrap(renderInline(token, ctx.palette), ctx.width), next: i + 1 };
  if (token.nesting === 0 && token.content) return { lines: wrap(token.content, ctx.width), next: i + 1 };
  return { next: i + 1 };
};

function list(tokens: Token[], i: number, ctx: Context): { lines: string[]; next: number } {
  const open = tokens[i]!;
  const end = closing(tokens, i);
  const items: [number, number][] = [];
  for (let j = i + 1; j < end; j = closing(tokens, j) + 1) {
    if (tokens[j]!.type === 'list_item_open') items.push([j, closing(tokens, j)]);
  }
  const ordered = open.type === 'ordered_list_open';
  const first = Number(open.attrGet('start') ?? 1);
  const bullet = ctx.plain ? '-' : (['•', '◦', '▪'][ctx.depth % 3] ?? '•');
  const markers = items.map(([j], n) => (ordered ? `${first + n}${tokens[j]!.markup || '.'}` : bullet));
  const size = Math.max(...markers.map(displayWidth)) + 1;
  if (ctx.width - size < MIN_INNER) {
    // Nested too deep to indent once more: the items follow one another as plain blocks.
    return { lines: items.flatMap(([j, close]) => renderBlocks(tokens.slice(j + 1, close), ctx)), next: end + 1 };
  }
  const tight = tokens.slice(i, end).find((t) => t.type === 'paragraph_open' && t.level === open.level + 2)?.hidden ?? true;
  const inner = { ...ctx, width: ctx.width - size, depth: ctx.depth + 1 };
  const lines = items.flatMap(([j, close], n) => {
    const body = renderBlocks(tokens.slice(j + 1, close), inner, tight ? 0 : 1);
    const marker = markers[n]!.padStart(size - 1) + ' ';
    const item = body.length === 0 ? [marker.trimEnd()] : [marker + body[0], ...indent(body.slice(1), ' '.repeat(size))];
    return n > 0 && !tight ? ['', ...item] : item;
  });
  return { lines, next: end + 1 };
}

/** The index of the token that closes the one at `i` (itself if it opens nothing). */
function closing(tokens: Token[], i: number): number {
  if (tokens[i]!.nesting !== 1) return i;
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    depth += tokens[j]!.nesting;
    if (depth === 0) return j;
  }
  return tokens.length - 1;
}

const indent = (lines: string[], prefix: string) => lines.map((line) => (line === '' ? '' : prefix + line));

/** Text after a prefix ("## "), wrapped with the following lines indented under the text. */
function hanging(text: string, prefix: string, width: number): string[] {
  const pad = ' '.repeat(prefix.length);
  return wrap(text, width - prefix.length).map((line, i) => (i === 0 ? prefix : pad) + line);
}
