// Tables that fit the terminal. Three layouts, tried in order:
//   grid    — box-drawn columns; when the natural widths are too wide, cells wrap, columns
//             keeping room for their longest word (up to LONG_WORD columns);
//   stacked — when even that does not fit: one box per row, each cell under its header's name
//             ("TCP │ Required"), the way narrow web pages show tables;
//   plain   — no box drawing (plain mode, or too narrow for any box): "Header: cell" lines, one
//             group per row.

import { stripVTControlCharacters } from 'node:util';
import type { Palette } from '../term/style.ts';
import { displayWidth, padEnd } from './display.ts';
import { wrap } from './wrap.ts';

export type Align = 'left' | 'center' | 'right';

export interface Table {
  /** Header cells, already styled (inline markdown rendered). */
  header: string[];
  rows: string[][];
  align: (Align | undefined)[];
}

export interface TableOptions {
  width: number;
  palette: Palette;
  plain: boolean;
}

/** A column keeps room for its longest word up to this many columns; longer words are broken. */
const LONG_WORD = 16;

export function renderTable(table: Table, { width, palette, plain }: TableOptions): string[] {
  const columns = table.header.length;
  if (columns === 0) return [];
  const rows = table.rows.map((row) => table.header.map((_, c) => row[c] ?? ''));
  const header = table.header.map((h) => palette.strong(h));
  if (!plain) {
    const widths = gridWidths([header, ...rows], width - (3 * columns + 1));
    if (widths) return grid([header, ...rows], widths, table.align, palette, 1);
    const labelWidth = Math.min(Math.max(...header.map(displayWidth)), Math.floor((width - 7) * 0.4));
    if (labelWidth >= 3 && width - 7 - labelWidth >= 8) {
      const records = rows.map((row) => row.map((cell, c) => [header[c]!, cell]));
      return grid(records.flat(), [labelWidth, width - 7 - labelWidth], [], palette, 0, records.map((r) => r.length));
    }
  }
  return rows.flatMap((row, r) => [
    ...(r > 0 ? [''] : []),
    ...row.flatMap((cell, c) => labelled(header[c]!, cell, width)),
  ]);
}

/** Column widths for the grid, or undefined if the columns cannot keep their words whole. */
function gridWidths(cells: string[][], room: number): number[] | undefined {
  const columns = cells[0]!.length;
  const natural = Array.from({ length: columns }, (_, c) => Math.max(1, ...cells.map((row) => lineWidths(row[c]!))));
  const least = natural.map((n, c) => Math.min(n, LONG_WORD, Math.max(1, ...cells.map((row) => longestWord(row[c]!)))));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (sum(natural) <= room) return natural;
  if (sum(least) > room) return undefined;
  // Share what is left in proportion to how much each column still wants.
  const spare = room - sum(least);
  const wants = natural.map((n, c) => n - least[c]!);
  const total = sum(wants);
  const shares = wants.map((w) => (w * spare) / total);
  const widths = least.map((l, c) => l + Math.floor(shares[c]!));
  let left = room - sum(widths);
  const byFraction = shares.map((s, c) => [s - Math.floor(s), c] as const).sort((a, b) => b[0] - a[0]);
  for (const [, c] of byFraction) {
    if (left === 0) break;
    widths[c]!++;
    left--;
  }
  return widths;
}

const lineWidths = (cell: string) => Math.max(0, ...cell.split('\n').map(displayWidth));
const longestWord = (cell: string) => Math.max(0, ...stripVTControlCharacters(cell).split(/[ \t\n]+/).map(displayWidth));

/**
 * Box-drawn rows. The first `headerRows` rows are set off by a double rule; `groups`, if given,
 * are the sizes of row groups separated by a rule (stacked layout); otherwise rows are separated
 * by a rule only when some row takes more than one line.
 */
function grid(rows: string[][], widths: number[], align: (Align | undefined)[], palette: Palette, headerRows: number, groups?: number[]): string[] {
  const b = palette.border;
  const rule = (left: string, fill: string, cross: string, right: string) => b(left + widths.map((w) => fill.repeat(w + 2)).join(cross) + right);
  const wrapped = rows.map((row) => row.map((cell, c) => wrap(cell, widths[c]!)));
  const body = wrapped.slice(headerRows);
  const separate = groups !== undefined || body.some((row) => row.some((lines) => lines.length > 1));
  const ends = new Set<number>();
  if (groups) groups.reduce((end, size) => (ends.add(end + size), end + size), 0);
  else wrapped.forEach((_, r) => ends.add(r + 1));
  const out = [rule('┌', '─', '┬', '┐')];
  wrapped.forEach((row, r) => {
    const height = Math.max(...row.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      out.push(b('│') + row.map((lines, c) => ` ${aligned(lines[i] ?? '', widths[c]!, align[c])} `).join(b('│')) + b('│'));
    }
    if (r === wrapped.length - 1) return;
    if (r === headerRows - 1) out.push(rule('╞', '═', '╪', '╡'));
    else if (separate && ends.has(r + 1)) out.push(rule('├', '─', '┼', '┤'));
  });
  out.push(rule('└', '─', '┴', '┘'));
  return out;
}

function aligned(text: string, width: number, align: Align | undefined): string {
  const space = width - displayWidth(text);
  if (align === 'right') return ' '.repeat(space) + text;
  if (align === 'center') return ' '.repeat(Math.floor(space / 2)) + padEnd(text, width - Math.floor(space / 2));
  return padEnd(text, width);
}

/** "Header: cell", wrapped, continuation lines indented two spaces. */
function labelled(label: string, cell: string, width: number): string[] {
  const text = stripVTControlCharacters(label) === '' ? cell : `${label}: ${cell}`;
  return wrap(text, width, Math.max(1, width - 2)).map((line, i) => (i === 0 ? line : `  ${line}`));
}
