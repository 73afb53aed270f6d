// ANSI SGR styles, from a small table of our own. A colour library keeps one global switch, set at
// import from the process's environment; here colour is decided once, at the edge (Io.color), and
// every painter is built for that decision, so nothing global is read or toggled.

const SGR = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  strikethrough: [9, 29],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

export type Sgr = keyof typeof SGR;
export type Paint = (text: string) => string;

/**
 * A painter for these styles, outermost first: `\x1b[1m\x1b[35m…\x1b[22m\x1b[39m`. Nest-safe: where
 * the text already closes one of them (an inner bold ends with 22, as dim does), it is opened
 * again right after, so the outer style goes on to the end. Empty text stays empty.
 */
export function sgr(...styles: readonly Sgr[]): Paint {
  const codes = styles.map((s) => ({ open: `\x1b[${SGR[s][0]}m`, close: `\x1b[${SGR[s][1]}m` }));
  const open = codes.map((c) => c.open).join('');
  const close = codes.map((c) => c.close).join('');
  return (text) => {
    if (text === '') return text;
    let inner = text;
    for (const c of codes) if (inner.includes(c.close)) inner = inner.replaceAll(c.close, c.close + c.open);
    return open + inner + close;
  };
}
