// A palette for tests: each style is marked by zero-width escape sequences, so text is laid out
// exactly as with colour; `showMarks` then turns the marks into visible tags, `[b]bold[/b]`.

import type { Paint, Palette } from './style.ts';

function tag(name: string): Paint {
  return (s) => (s === '' ? s : `\x1b]mark;${name}\x07${s}\x1b]mark;/${name}\x07`);
}

/** Borders stay unmarked so that fixtures read as the layout they are. */
export const testPalette: Palette = {
  heading1: tag('h1'),
  heading2: tag('h2'),
  heading3: tag('h3'),
  strong: tag('b'),
  em: tag('i'),
  del: tag('del'),
  code: tag('c'),
  link: tag('link'),
  url: tag('url'),
  border: (s) => s,
  note: tag('note'),
  warning: tag('warn'),
  tip: tag('tip'),
  keyword: tag('kw'),
  string: tag('str'),
  comment: tag('cmt'),
  number: tag('num'),
};

/** Text painted with the test palette, its marks made visible: `[b]bold[/b]`. */
export function showMarks(text: string): string {
  return text.replace(/\x1b\]mark;(\/?\w+)\x07/g, '[$1]');
}
