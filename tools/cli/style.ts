// The few styles the command line uses. Colour is decided once, at the edge (Io.color), and
// passed in; with colour off every style is the identity, so the structure stays in the text.

import kleur from 'kleur';

export interface Style {
  ok: (s: string) => string;
  fail: (s: string) => string;
  warn: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  accent: (s: string) => string;
  code: (s: string) => string;
}

export function makeStyle(color: boolean): Style {
  const k = kleur;
  const on = (f: (s: string) => string) => (s: string) => {
    if (!color) return s;
    const before = k.enabled;
    k.enabled = true;
    try {
      return f(s);
    } finally {
      k.enabled = before;
    }
  };
  return {
    ok: on((s) => k.green(s)),
    fail: on((s) => k.red(s)),
    warn: on((s) => k.yellow(s)),
    dim: on((s) => k.dim(s)),
    bold: on((s) => k.bold(s)),
    accent: on((s) => k.cyan(s)),
    code: on((s) => k.cyan(s)),
  };
}
