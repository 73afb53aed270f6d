// The styles the renderer paints with. A palette is chosen once, at the edge (Io.color), and
// passed in; the renderer never reads the environment or kleur's global switch (kleur decides
// colour at import time, from the process it runs in).

import kleur from 'kleur';

export type Paint = (text: string) => string;

export interface Palette {
  heading1: Paint;
  heading2: Paint;
  /** Levels 3 to 6. */
  heading3: Paint;
  strong: Paint;
  em: Paint;
  del: Paint;
  /** Inline code. */
  code: Paint;
  link: Paint;
  url: Paint;
  /** Table borders, code frames, rules, heading underlines, quote bars, the "↪" of a wrapped code line. */
  border: Paint;
  note: Paint;
  warning: Paint;
  tip: Paint;
  keyword: Paint;
  string: Paint;
  comment: Paint;
  number: Paint;
}

export type Role = keyof Palette;

const same: Paint = (s) => s;

/** No colour, no escapes (NO_COLOR, pipes): the structure stays in the characters; inline code keeps its backticks. */
export const plainPalette: Palette = {
  heading1: same,
  heading2: same,
  heading3: same,
  strong: same,
  em: same,
  del: same,
  code: (s) => `\`${s}\``,
  link: same,
  url: same,
  border: same,
  note: same,
  warning: same,
  tip: same,
  keyword: same,
  string: same,
  comment: same,
  number: same,
};

/**
 * For tests: each style is marked by zero-width escape sequences, so text is laid out exactly as
 * with colour; `showMarks` then turns the marks into visible tags, `[b]bold[/b]`. Borders stay
 * unmarked so that fixtures read as the layout they are.
 */
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
  border: same,
  note: tag('note'),
  warning: tag('warn'),
  tip: tag('tip'),
  keyword: tag('kw'),
  string: tag('str'),
  comment: tag('cmt'),
  number: tag('num'),
};

function tag(name: string): Paint {
  return (s) => (s === '' ? s : `\x1b]mark;${name}\x07${s}\x1b]mark;/${name}\x07`);
}

/** Text painted with the test palette, its marks made visible: `[b]bold[/b]`. */
export function showMarks(text: string): string {
  return text.replace(/\x1b\]mark;(\/?\w+)\x07/g, '[$1]');
}

/** ANSI colours when `color` is true (built on kleur, switched on only while painting), else the plain palette. */
export function makePalette(color: boolean): Palette {
  if (!color) return plainPalette;
  const paint = (f: (k: typeof kleur, s: string) => string): Paint => (s) => {
    if (s === '') return s;
    const before = kleur.enabled;
    kleur.enabled = true;
    try {
      return f(kleur, s);
    } finally {
      kleur.enabled = before;
    }
  };
  return {
    heading1: paint((k, s) => k.bold().magenta(s)),
    heading2: paint((k, s) => k.bold().magenta(s)),
    heading3: paint((k, s) => k.bold(s)),
    strong: paint((k, s) => k.bold(s)),
    em: paint((k, s) => k.italic(s)),
    del: paint((k, s) => k.strikethrough(s)),
    code: paint((k, s) => k.cyan(s)),
    link: paint((k, s) => k.underline(s)),
    url: paint((k, s) => k.blue(s)),
    border: paint((k, s) => k.dim(s)),
    note: paint((k, s) => k.blue(s)),
    warning: paint((k, s) => k.yellow(s)),
    tip: paint((k, s) => k.green(s)),
    keyword: paint((k, s) => k.magenta(s)),
    string: paint((k, s) => k.green(s)),
    comment: paint((k, s) => k.gray(s)),
    number: paint((k, s) => k.yellow(s)),
  };
}
