// How text shows in a terminal: as graphemes (never split) and ANSI escape sequences (no width,
// never split), measured in display columns with string-width (CJK and most emoji take two
// columns, combining marks none).

import stringWidth from 'string-width';

const ESCAPE = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const RESET = '\x1b[0m';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Characters other than printable ASCII, with the printable character before and after each run
 * (runs one printable character apart are one). */
const OTHER_RUN = /(?:[\x20-\x7e]?[^\x20-\x7e]+)+[\x20-\x7e]?/g;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Columns the text takes in a terminal, escape sequences ignored. */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const u of units(text)) if ('width' in u) width += u.width;
  return width;
}

/** The text padded with spaces to `width` columns (unchanged if already that wide). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export type Unit = { esc: string } | { char: string; width: number };

/** Units and their total width, kept together so that nothing is measured twice. */
export class Run {
  units: Unit[] = [];
  width = 0;
  push(...units: Unit[]): void {
    for (const u of units) {
      this.units.push(u);
      if ('width' in u) this.width += u.width;
    }
  }
}

// string-width measures each grapheme once; lessons use few distinct ones.
const widths = new Map<string, number>();
function graphemeWidth(g: string): number {
  const code = g.charCodeAt(0);
  if (g.length === 1 && code >= 0x20 && code < 0x7f) return 1;
  let w = widths.get(g);
  if (w === undefined) widths.set(g, (w = stringWidth(g)));
  return w;
}

// The pieces the segmenter is asked about repeat (" — ", "’s"): each is cut once.
const cuts = new Map<string, string[]>();
function segments(piece: string): string[] {
  let cut = cuts.get(piece);
  if (cut === undefined) {
    cut = Array.from(graphemes.segment(piece), (s) => s.segment);
    if (cuts.size >= 10_000) cuts.clear();
    cuts.set(piece, cut);
  }
  return cut;
}

/** The text as graphemes with their widths, and escape sequences. */
export function units(text: string): Unit[] {
  const out: Unit[] = [];
  let last = 0;
  const ascii = (part: string) => {
    for (const char of part) out.push({ char, width: 1 });
  };
  const plain = (part: string) => {
    // Printable ASCII is one grapheme per character; the segmenter is slow, so only the rest
    // uses it, with the printable character on each side (a combining mark joins the one before,
    // a prepended mark the one after). Two printable ASCII characters side by side are always two
    // graphemes, so the pieces between are graphemes whichever way the text is cut.
    let from = 0;
    for (const match of part.matchAll(OTHER_RUN)) {
      ascii(part.slice(from, match.index));
      for (const char of segments(match[0])) out.push({ char, width: graphemeWidth(char) });
      from = match.index + match[0].length;
    }
    ascii(part.slice(from));
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
 * Joins units into lines, closing styles left open at a line's end and opening them again on the
 * next, so each line stands on its own. `space`, if given, is written out as an ordinary space.
 */
export function restyle(lines: Unit[][], space?: string): string[] {
  let open: string[] = [];
  return lines.map((line) => {
    let out = open.join('');
    for (const u of line) {
      if ('esc' in u) {
        out += u.esc;
        open = track(open, u.esc);
      } else out += u.char === space ? ' ' : u.char;
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
