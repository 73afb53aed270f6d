// The terminal, as the runner sees it: its size, and clearing it between screens.

import { writeLine, type Io } from '../term/io.ts';

export interface Screen {
  /** Columns; 80 when unknown. */
  width: number;
  /** Rows; 24 when unknown. */
  rows: number;
}

export function screenOf(io: Io): Screen {
  return { width: io.stdout.columns || 80, rows: io.stdout.rows || 24 };
}

/** Clears the visible screen (not the scrollback) in a terminal; does nothing otherwise. */
export function clearScreen(io: Io): void {
  if (io.interactive) io.stdout.write('\x1b[2J\x1b[H');
}

export function print(io: Io, text = ''): void {
  for (const line of text.split('\n')) writeLine(io.stdout, line);
}
