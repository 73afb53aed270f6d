// Word wrap for styled terminal text. Widths are display widths (string-width: CJK and most
// emoji take two columns, combining marks none); text is split into graphemes, never inside one,
// and ANSI escape sequences count zero columns and are never split. A style that is open at the
// end of a line is closed there and opened again on the next, so each line stands on its own.

import stringWidth from 'string-width';

const ESCAPE = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const RESET = '\x1b[0m';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** A space that `wrap` does not break at; it comes out as an ordinary space. */
export const NO_BREAK = '\u00a0';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Columns the text takes in a terminal, escape sequences ignored. */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** The text padded with spaces to `width` columns (unchanged if already that wide). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

type Unit = { esc: string } | { char: string; width: number };

/** Units and their total width, kept together so that nothing is measured twice. */
class Run {
  units: Unit[] = [];
  width = 0;
  push(...units: Unit[]): void {
    for (const u of units) {
      this.units.push(u);
      if ('width' in u) this.width += u.width;
    }
  }
}

const widths = new Map<string, number>();
function graphemeWidth(g: string): number {
  const code = g.charCodeAt(0);
  if (g.length === 1 && code >= 0x20 && code < 0x7f) return 1;
  let w = widths.get(g);
  if (w === undefined) widths.set(g, (w = stringWidth(g)));
  return w;
}

function units(text: string): Unit[] {
  const out: Unit[] = [];
  let last = 0;
  const plain = (part: string) => {
    // Printable ASCII is one grapheme per character; the segmenter is slow, so only the rest uses it.
    if (PRINTABLE_ASCII.test(part)) for (const char of part) out.push({ char, width: 1 });
    else for (const { segment } of graphemes.segment(part)) out.push({ char: segment, width: graphemeWidth(segment) });
  };
  for (const match of text.matchAll(ESCAPE)) {
    plain(text.slice(last, match.index));
    out.push({ esc: match[0] });
    last = match.index + match[0].length;
  }
  plain(text.slice(last));
  return out;
}

/**
 * Wraps prose to `width` columns (`rest` for the lines after the first, for a hanging indent):
 * breaks at spaces (which are dropped at the break), keeps the spacing inside a line, starts a
 * new line at each "\n", and breaks a word longer than the width wherever it must. NO_BREAK
 * glues words together and is written out as a space. Never returns a line wider than asked
 * (unless a single grapheme is wider).
 */
export function wrap(text: string, width: number, rest = width): string[] {
  const lines: Unit[][] = [];
  let line = new Run();
  let gap = new Run();
  let word = new Run();
  const endLine = () => {
    lines.push(line.units);
    line = new Run();
    gap = new Run();
  };
  const room = () => (lines.length === 0 ? width : rest);
  const place = () => {
    if (word.units.length === 0) return;
    if (word.width === 0) {
      // Only escape sequences: they belong where they are, whatever the width.
      line.push(...word.units);
      word = new Run();
      return;
    }
    if (line.width > 0 && line.width + gap.width + word.width > room()) endLine();
    if (line.width > 0) line.push(...gap.units);
    gap = new Run();
    if (word.width <= room() - line.width) line.push(...word.units);
    else {
      for (const u of word.units) {
        if ('width' in u && line.width + u.width > room() && line.width > 0) endLine();
        line.push(u);
      }
    }
    word = new Run();
  };
  for (const u of units(text)) {
    if ('char' in u && u.char === '\n') {
      place();
      endLine();
    } else if ('char' in u && (u.char === ' ' || u.char === '\t')) {
      place();
      gap.push(u);
    } else word.push(u);
  }
  place();
  lines.push(line.units);
  return restyle(lines);
}

/**
 * Breaks one line of code into pieces of at most `width` columns (`rest` for the pieces after
 * the first): after a space in the second half of the piece, else after an opening bracket, a
 * comma or a semicolon, or before a dot there; otherwise anywhere. Joining the pieces gives back
 * the line exactly: nothing is dropped.
 */
export function wrapCode(text: string, width: number, rest = width): string[] {
  const all = units(text);
  if (all.reduce((w, u) => w + ('width' in u ? u.width : 0), 0) <= width) return [text];
  const pieces: Unit[][] = [];
  let piece = new Run();
  let limit = width;
  for (const u of all) {
    while ('width' in u && piece.units.length > 0 && piece.width + u.width > limit) {
      const cut = cutAt(piece.units, u, limit);
      pieces.push(piece.units.slice(0, cut));
      const remainder = piece.units.slice(cut);
      piece = new Run();
      piece.push(...remainder);
      limit = rest;
    }
    piece.push(u);
  }
  pieces.push(piece.units);
  return restyle(pieces);
}

/** Where to end a piece of code that must not be wider than `limit` (`after` comes next). */
function cutAt(piece: Unit[], after: Unit, limit: number): number {
  let fits = 0; // how many units fit within the limit
  for (let w = 0; fits < piece.length; fits++) {
    const next = piece[fits]!;
    w += 'width' in next ? next.width : 0;
    if (w > limit) break;
  }
  const last = (test: (previous: Unit, next: Unit) => boolean) => {
    for (let i = fits; i >= limit / 2 && i > 0; i--) if (test(piece[i - 1]!, piece[i] ?? after)) return i;
    return -1;
  };
  const at = [last(afterSpace), last(punctuation)].find((i) => i > 0);
  return at ?? Math.max(1, fits);
}

const afterSpace = (previous: Unit) => 'char' in previous && previous.char === ' ';
const punctuation = (previous: Unit, next: Unit) =>
  ('char' in previous && /^[([{,;]$/.test(previous.char)) || ('char' in next && next.char === '.');

/** Joins units into lines, closing styles left open at a line's end and reopening them on the next. */
function restyle(lines: Unit[][]): string[] {
  let open: string[] = [];
  return lines.map((line) => {
    let out = open.join('');
    for (const u of line) {
      if ('esc' in u) {
        out += u.esc;
        open = track(open, u.esc);
      } else out += u.char === NO_BREAK ? ' ' : u.char;
    }
    return open.length > 0 ? out + RESET : out;
  });
}

// Which SGR codes a closing code cancels: 22 ends bold and dim, 39 any foreground colour, ...
const CLOSES: Record<string, (code: number) => boolean> = {
  '22': (c) => c === 1 || c === 2,
  '23': (c) => c === 3,
  '24': (c) => c === 4,
  '27': (c) => c === 7,
  '28': (c) => c === 8,
  '29': (c) => c === 9,
  '39': (c) => (c >= 30 && c <= 38) || (c >= 90 && c <= 97),
  '49': (c) => (c >= 40 && c <= 48) || (c >= 100 && c <= 107),
};

function track(open: string[], esc: string): string[] {
  const sgr = /^\x1b\[([0-9;]*)m$/.exec(esc);
  if (!sgr) return open;
  const code = sgr[1]!.split(';')[0] ?? '';
  if (code === '' || code === '0') return [];
  const closes = CLOSES[code];
  if (!closes) return [...open, esc];
  return open.filter((o) => !closes(Number(/^\x1b\[(\d+)/.exec(o)?.[1])));
}
