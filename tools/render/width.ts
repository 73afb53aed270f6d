// How wide to render: the terminal's width, 80 columns when it is unknown (a pipe, a file), and
// at most 100, because longer lines are hard to read.

export const DEFAULT_WIDTH = 80;
export const MAX_READING_WIDTH = 100;
/** The narrowest the renderer lays out; a smaller width is taken as this one. */
export const MIN_WIDTH = 20;

export function terminalWidth(columns: number | undefined): number {
  if (columns === undefined || !Number.isFinite(columns) || columns <= 0) return DEFAULT_WIDTH;
  return Math.min(Math.floor(columns), MAX_READING_WIDTH);
}
