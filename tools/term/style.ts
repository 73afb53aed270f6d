// The workbook's colours, decided in this one place for the command line (Style) and the lesson
// renderer (Palette). Both are made for a colour decision taken once, at the edge (Io.color), and
// passed in; with colour off, the structure stays in the characters.

import { sgr, type Paint, type Sgr } from './ansi.ts';

export type { Paint };

/** What the command line paints: verdicts, warnings, and the commands it tells the learner to type. */
export interface Style {
  ok: Paint;
  fail: Paint;
  warn: Paint;
  dim: Paint;
  bold: Paint;
  accent: Paint;
  /** A command to type, e.g. `npm start -- check 02`. */
  code: Paint;
}

/** What the lesson renderer paints. */
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

/** Every colour of the workbook. `code` is the command line's and the renderer's alike. */
const LOOKS: Record<keyof Style | Role, readonly Sgr[]> = {
  ok: ['green'],
  fail: ['red'],
  warn: ['yellow'],
  dim: ['dim'],
  bold: ['bold'],
  accent: ['cyan'],
  code: ['cyan'],
  heading1: ['bold', 'magenta'],
  heading2: ['bold', 'magenta'],
  heading3: ['bold'],
  strong: ['bold'],
  em: ['italic'],
  del: ['strikethrough'],
  link: ['underline'],
  url: ['blue'],
  border: ['dim'],
  note: ['blue'],
  warning: ['yellow'],
  tip: ['green'],
  keyword: ['magenta'],
  string: ['green'],
  comment: ['gray'],
  number: ['yellow'],
};

const same: Paint = (s) => s;

function paints<K extends keyof typeof LOOKS>(roles: readonly K[], color: boolean): Record<K, Paint> {
  return Object.fromEntries(roles.map((role) => [role, color ? sgr(...LOOKS[role]) : same])) as Record<K, Paint>;
}

const STYLE_ROLES = ['ok', 'fail', 'warn', 'dim', 'bold', 'accent', 'code'] as const satisfies readonly (keyof Style)[];
const PALETTE_ROLES = [
  'heading1', 'heading2', 'heading3', 'strong', 'em', 'del', 'code', 'link', 'url', 'border',
  'note', 'warning', 'tip', 'keyword', 'string', 'comment', 'number',
] as const satisfies readonly Role[];

/** The command line's styles: ANSI colour when `color` is true; otherwise every style leaves the text as it is. */
export function makeStyle(color: boolean): Style {
  return paints(STYLE_ROLES, color);
}

/** No colour, no escapes (NO_COLOR, pipes): the structure stays in the characters; inline code keeps its backticks. */
export const plainPalette: Palette = { ...paints(PALETTE_ROLES, false), code: (s) => `\`${s}\`` };

/** The renderer's palette: ANSI colour when `color` is true, else the plain palette. */
export function makePalette(color: boolean): Palette {
  return color ? paints(PALETTE_ROLES, true) : plainPalette;
}
