// The terminal's colours: decided by the caller (Io.color), never by a global switch, and
// nest-safe, so that an inner style's end does not end the outer one.

import { describe, expect, it } from 'vitest';
import { sgr } from '../../tools/term/ansi.ts';
import { makePalette, makeStyle, plainPalette } from '../../tools/term/style.ts';

describe('term: colours', () => {
  it('paints with ANSI SGR codes when colour is on, each closed by its own code', () => {
    const st = makeStyle(true);
    expect(st.ok('✔')).toBe('\x1b[32m✔\x1b[39m');
    expect(st.fail('✘')).toBe('\x1b[31m✘\x1b[39m');
    expect(st.dim('x')).toBe('\x1b[2mx\x1b[22m');
    expect(makePalette(true).heading1('Title')).toBe('\x1b[1m\x1b[35mTitle\x1b[22m\x1b[39m');
  });

  it('leaves the text as it is when colour is off; the renderer keeps inline code in backticks', () => {
    const st = makeStyle(false);
    for (const paint of Object.values(st)) expect(paint('npm start')).toBe('npm start');
    expect(makePalette(false)).toBe(plainPalette);
    expect(plainPalette.code('x')).toBe('`x`');
    expect(plainPalette.strong('x')).toBe('x');
  });

  it('gives the command line and the renderer the same colour for code', () => {
    expect(makeStyle(true).code('x')).toBe(makePalette(true).code('x'));
  });

  it('reopens an outer style that an inner one closes, so it lasts to the end', () => {
    const bold = sgr('bold');
    const dim = sgr('dim');
    expect(bold(`a ${dim('b')} c`)).toBe('\x1b[1ma \x1b[2mb\x1b[22m\x1b[1m c\x1b[22m');
  });

  it('paints nothing around empty text', () => {
    expect(makeStyle(true).bold('')).toBe('');
    expect(makePalette(true).strong('')).toBe('');
  });
});
