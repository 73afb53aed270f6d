// A terminal screen for tests: replays what a program wrote (text, and the escape sequences that
// inquirer and the runner use) onto a grid of columns × rows, with a terminal's deferred wrap at
// the last column and scrolling at the bottom, so that a test sees what a learner would see (a
// line broken mid-word, a fragment left behind by a redraw) rather than the bytes written.
//
// '\n' moves to the start of the next line, as a terminal's output processing (onlcr) makes it.

import { displayWidth } from '../../../tools/render/index.ts';

const CSI = /^\x1b\[([?]?)([\d;]*)([A-Za-z@])/;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export class VtScreen {
  readonly columns: number;
  readonly rows: number;
  private grid: string[][];
  private row = 0;
  private col = 0;
  private wrapPending = false;

  constructor(columns = 80, rows = 24) {
    this.columns = columns;
    this.rows = rows;
    this.grid = Array.from({ length: rows }, () => this.blank());
  }

  write(data: string): void {
    for (let i = 0; i < data.length; ) {
      const rest = data.slice(i);
      const csi = CSI.exec(rest);
      if (csi) {
        this.control(csi[1]!, csi[2]!, csi[3]!);
        i += csi[0].length;
        continue;
      }
      if (rest.startsWith('\x1b')) {
        i += 1; // an escape this screen does not know: skip the ESC, as a terminal shows nothing
        continue;
      }
      const g = graphemes.segment(rest)[Symbol.iterator]().next().value!.segment;
      this.put(g);
      i += g.length;
    }
  }

  /** The visible lines, without trailing spaces. */
  lines(): string[] {
    return this.grid.map((cells) => cells.join('').trimEnd());
  }

  /** The visible text, lines joined by "\n". */
  text(): string {
    return this.lines().join('\n');
  }

  private blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }

  private newline(): void {
    this.col = 0;
    this.wrapPending = false;
    if (this.row < this.rows - 1) this.row++;
    else {
      this.grid.shift();
      this.grid.push(this.blank());
    }
  }

  private put(g: string): void {
    if (g === '\n' || g === '\r\n') return this.newline();
    if (g === '\r') {
      this.col = 0;
      this.wrapPending = false;
      return;
    }
    const width = displayWidth(g);
    if (width === 0) return;
    if (this.wrapPending || this.col + width > this.columns) this.newline();
    const line = this.grid[this.row]!;
    line[this.col] = g;
    if (width === 2) line[this.col + 1] = '';
    this.col += width;
    if (this.col >= this.columns) {
      this.col = this.columns - 1;
      this.wrapPending = true;
    }
  }

  private control(private_: string, params: string, final: string): void {
    if (private_) return; // ?25l, ?25h: the cursor's visibility
    const n = (k: number, fallback: number) => Number(params.split(';')[k] || fallback);
    const line = this.grid[this.row]!;
    this.wrapPending = false;
    switch (final) {
      case 'A': this.row = Math.max(0, this.row - n(0, 1)); break;
      case 'B': this.row = Math.min(this.rows - 1, this.row + n(0, 1)); break;
      case 'C': this.col = Math.min(this.columns - 1, this.col + n(0, 1)); break;
      case 'D': this.col = Math.max(0, this.col - n(0, 1)); break;
      case 'G': this.col = Math.min(this.columns - 1, n(0, 1) - 1); break;
      case 'H':
        this.row = Math.min(this.rows - 1, n(0, 1) - 1);
        this.col = Math.min(this.columns - 1, n(1, 1) - 1);
        break;
      case 'K': {
        const mode = n(0, 0);
        const from = mode === 0 ? this.col : 0;
        const to = mode === 1 ? this.col + 1 : this.columns;
        for (let c = from; c < to; c++) line[c] = ' ';
        break;
      }
      case 'J':
        if (n(0, 0) === 2) this.grid = Array.from({ length: this.rows }, () => this.blank());
        else for (let r = this.row; r < this.rows; r++) this.grid[r] = r === this.row ? [...line.slice(0, this.col), ...this.blank().slice(this.col)] : this.blank();
        break;
      default: // m (colour) and anything else: nothing to draw
    }
  }
}
