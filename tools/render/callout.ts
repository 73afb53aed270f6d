// Callouts: a blockquote that opens with a bold label, `> **Note**`, `> **Warning**`,
// `> **Tip**` (also `Important` and `Caution`, with or without a colon), or GitHub's
// `> [!NOTE]` form. The label is taken out of the quote's tokens and shown on its own line.

import type { Token } from 'markdown-it';

export type CalloutKind = 'note' | 'warning' | 'tip';

const KINDS: Record<string, CalloutKind> = { note: 'note', important: 'note', warning: 'warning', caution: 'warning', tip: 'tip' };

export interface Callout {
  kind: CalloutKind;
  /** The label as written ("Note"; "Note" for `[!NOTE]`). */
  label: string;
  /** The quote's tokens without the label (a paragraph left empty is dropped). */
  body: Token[];
}

/** The callout that the quote's inner tokens (between blockquote_open and _close) make, if any. */
export function callout(inner: Token[]): Callout | undefined {
  const [open, inline, close] = inner;
  if (open?.type !== 'paragraph_open' || inline?.type !== 'inline' || close?.type !== 'paragraph_close') return undefined;
  // markdown-it puts empty text tokens around delimiters: they say nothing here.
  const children = (inline.children ?? []).filter((t) => !(t.type === 'text' && t.content === ''));
  let label: string | undefined;
  let rest: Token[] = [];
  const [a, b, c] = children;
  const bold = a?.type === 'strong_open' && b?.type === 'text' && c?.type === 'strong_close' ? /^(\w+):?$/.exec(b.content) : null;
  const github = a?.type === 'text' ? /^\[!(\w+)\]$/.exec(a.content) : null;
  if (bold && KINDS[bold[1]!.toLowerCase()]) {
    label = bold[1]!;
    rest = children.slice(3);
  } else if (github && KINDS[github[1]!.toLowerCase()]) {
    label = github[1]![0]!.toUpperCase() + github[1]!.slice(1).toLowerCase();
    rest = children.slice(1);
  }
  if (label === undefined) return undefined;
  while (rest[0]?.type === 'softbreak' || rest[0]?.type === 'hardbreak') rest = rest.slice(1);
  if (rest[0]?.type === 'text') rest = [copy(rest[0], { content: rest[0].content.replace(/^[\s:]+/, '') }), ...rest.slice(1)];
  const empty = rest.every((t) => t.type === 'text' && t.content.trim() === '');
  const body = empty ? inner.slice(3) : [open, copy(inline, { children: rest }), close, ...inner.slice(3)];
  return { kind: KINDS[label.toLowerCase()]!, label, body };
}

function copy(token: Token, changes: Partial<Token>): Token {
  return Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token, changes);
}
