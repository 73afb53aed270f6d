// Word wrap for styled terminal text, by display width (display.ts): prose breaks at spaces,
// code anywhere it must, and neither ever inside a grapheme or an escape sequence.

import { restyle, Run, units, type Unit } from './display.ts';

/** A space that `wrap` does not break at; it comes out as an ordinary space. */
export const NO_BREAK = '\u00a0';

/** `text` (a command, a path) glued together, so that `wrap` moves it whole to the next line. */
export function unbroken(text: string): string {
  return text.replaceAll(' ', NO_BREAK);
}

/**
 * Wraps prose to `width` columns (`rest` for the lines after the first, for a hanging indent):
 * breaks at spaces (which are dropped at the break), keeps the spacing inside a line, starts a
 * new line at each "\n", and breaks a word longer than the width wherever it must. NO_BREAK
 * glues words together (unless they cannot fit on a line of their own) and is written out as a
 * space. Never returns a line wider than asked (unless a single grapheme is wider).
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
    if (word.width > room() && word.units.some((u) => 'char' in u && u.char === NO_BREAK)) {
      // Glued words that cannot fit even on a line of their own break where they were glued.
      const glued = word.units;
      word = new Run();
      for (const u of glued) {
        if ('char' in u && u.char === NO_BREAK) {
          place();
          gap.push(u);
        } else word.push(u);
      }
      return place();
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
  return restyle(lines, NO_BREAK);
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

