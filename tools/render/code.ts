// A fenced code block in a frame: a rule above with its title (the file it comes from, or its
// language) and a rule below. Nothing is drawn beside the code, so text selected in the terminal
// copies as the code itself (indented two spaces, which TypeScript, JavaScript, JSON and shell
// ignore). A line wider than the frame continues on the next line, under its own indentation,
// after a "↪" — except in plain mode (for screen readers and copy-paste), where nothing is ever
// inserted into code: a long line stays one line, and the terminal folds it if it must.

import { highlight } from './highlight.ts';
import type { Palette } from '../term/style.ts';
import { displayWidth } from './display.ts';
import { wrap, wrapCode } from './wrap.ts';

export interface CodeOptions {
  width: number;
  palette: Palette;
  plain: boolean;
}

const INDENT = '  ';
const CONTINUED = '↪ ';

/** `info` is the fence's info string: "ts", or "ts server.ts" (language, then a title). */
export function codeBlock(code: string, info: string, { width, palette, plain }: CodeOptions): string[] {
  const [lang = '', ...title] = info.trim().split(/\s+/);
  const label = title.join(' ') || lang;
  const indent = INDENT;
  const source = expandTabs(code.replace(/\n$/, ''));
  const raw = source.split('\n');
  const highlighted = highlight(source, lang, palette);
  if (plain) return [...wrap(label ? `Code (${label}):` : 'Code:', width), ...highlighted, '(end of code)'];
  const body = highlighted.flatMap((line, n) => {
    // A continuation starts under the line's own indentation, so the code's shape still shows.
    const under = ' '.repeat(Math.min(indent.length + /^ */.exec(raw[n]!)![0].length, Math.floor(width / 2)));
    const rest = width - under.length - CONTINUED.length;
    return wrapCode(line, width - indent.length, rest).map((piece, i) =>
      i === 0 ? (piece === '' ? '' : indent + piece) : under + palette.border(CONTINUED) + piece,
    );
  });
  const b = palette.border;
  const head = label && displayWidth(label) + 4 <= width ? `${b('── ')}${label}${b(' ' + '─'.repeat(width - displayWidth(label) - 4))}` : b('─'.repeat(width));
  return [head, ...body, b('─'.repeat(width))];
}

/** Tabs to spaces (stops every 4 columns): a terminal would otherwise decide how wide they are. */
function expandTabs(code: string): string {
  if (!code.includes('\t')) return code;
  return code
    .split('\n')
    .map((line) => {
      let column = 0;
      return line.replace(/([^\t]*)\t/g, (_, before: string) => {
        column += displayWidth(before);
        const pad = 4 - (column % 4);
        column += pad;
        return before + ' '.repeat(pad);
      });
    })
    .join('\n');
}
