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

/**
 * Where a live report goes on this terminal: its lines, and, when stdout is a terminal, the
 * check now running on a line of its own that the next output replaces.
 */
export function liveOutput(io: Io): { write(lines: string[]): void; status?(text: string | undefined): void } {
  let shown = false;
  const clear = () => {
    if (shown) io.stdout.write('\r\x1b[2K');
    shown = false;
  };
  return {
    write(lines) {
      clear();
      for (const line of lines) writeLine(io.stdout, line);
    },
    ...(io.stdout.isTTY
      ? {
          status(text: string | undefined) {
            clear();
            if (text === undefined) return;
            const width = screenOf(io).width - 1;
            io.stdout.write(text.length > width ? `${text.slice(0, width - 1)}…` : text);
            shown = true;
          },
        }
      : {}),
  };
}
