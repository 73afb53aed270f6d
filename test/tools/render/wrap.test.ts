// Word wrap by display width: never wider than asked, never inside an escape sequence or a
// grapheme, styles carried from one line to the next.

import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { displayWidth, wrap } from '../../../tools/render/index.ts';
import { units } from '../../../tools/render/display.ts';
import { wrapCode } from '../../../tools/render/wrap.ts';
import { seededRandom } from '../../../tools/harness/random.ts';

const BOLD = '\x1b[1m';
const UNBOLD = '\x1b[22m';
const CYAN = '\x1b[36m';
const RESET = '\x1b[0m';

describe('render: wrap', () => {
  it('breaks at spaces and drops the space at the break', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });

  it('keeps the spacing inside a line and starts a new line at "\\n"', () => {
    expect(wrap('a  b\nc', 10)).toEqual(['a  b', 'c']);
  });

  it('measures CJK as two columns and emoji sequences as one grapheme', () => {
    expect(displayWidth('中文')).toBe(4);
    expect(wrap('中文 中文 中文', 9)).toEqual(['中文 中文', '中文']);
    expect(wrap('👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧', 4)).toEqual(['👩‍👩‍👧👩‍👩‍👧', '👩‍👩‍👧']);
  });

  it('never separates a combining mark from its letter', () => {
    const word = 'e\u0301'.repeat(5); // é written as e + U+0301, five times: five columns
    expect(displayWidth(word)).toBe(5);
    expect(wrap(word, 2)).toEqual(['e\u0301e\u0301', 'e\u0301e\u0301', 'e\u0301']);
  });

  it('breaks a word longer than the width, on a line of its own', () => {
    expect(wrap('see abcdefghij', 4)).toEqual(['see', 'abcd', 'efgh', 'ij']);
  });

  it('gives escape sequences no width and never splits them', () => {
    const lines = wrap(`${BOLD}bold words here${UNBOLD} plain`, 10);
    expect(lines.map((l) => stripVTControlCharacters(l))).toEqual(['bold words', 'here plain']);
    for (const line of lines) expect(line).not.toMatch(/\x1b(?!\[\d*m)/);
  });

  it('closes a style at the end of a line and opens it again on the next', () => {
    expect(wrap(`${BOLD}one two${UNBOLD} three`, 5)).toEqual([`${BOLD}one${RESET}`, `${BOLD}two${UNBOLD}`, 'three']);
    expect(wrap(`${CYAN}${BOLD}aa bb${UNBOLD}${'\x1b[39m'}`, 2)).toEqual([`${CYAN}${BOLD}aa${RESET}`, `${CYAN}${BOLD}bb${UNBOLD}\x1b[39m`]);
  });

  it('keeps glued words on one line, written with plain spaces, unless they cannot fit on any', () => {
    expect(wrap('run npm\u00a0start\u00a0--\u00a0check now', 20)).toEqual(['run', 'npm start -- check', 'now']);
    expect(wrap('npm\u00a0start\u00a0--\u00a0check', 10)).toEqual(['npm start', '-- check']);
  });

  it('wraps the lines after the first to their own width, for a hanging indent', () => {
    expect(wrap('aaa bbb ccc ddd', 7, 3)).toEqual(['aaa bbb', 'ccc', 'ddd']);
  });
});

describe('render: units', () => {
  it('cuts text into the graphemes Intl.Segmenter finds in the whole of it', () => {
    // The hard cases beside printable ASCII: a combining mark (joins the letter before), a
    // prepended mark (joins the character after), a keycap, a ZWJ family, flags, CR LF, CJK.
    const pieces = ['a', 'b', ' ', '1', '#', 'e\u0301', '\u0301', '\u0600', '\u0915\u093f', '1\ufe0f\u20e3', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}', '\u200d', '\u{1f1eb}', '\u{1f1f7}', '\r', '\n', '\r\n', '漢', '—', '\ufe0f', '\u{1f44d}\u{1f3fd}'];
    const random = seededRandom(5);
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const expected = [...segmenter.segment(text)].map((s) => s.segment);
      expect(units(text).map((u) => ('char' in u ? u.char : u.esc)), JSON.stringify(text)).toEqual(expected);
    }
  });
});

describe('render: wrapCode', () => {
  it('keeps every character, spaces included, so the pieces join back into the line', () => {
    const line = '    server.send(reply, rinfo.port, rinfo.address, (err) => {});';
    for (const width of [10, 17, 30, 61]) {
      const pieces = wrapCode(line, width, width - 2);
      expect(pieces.join('')).toBe(line);
      pieces.forEach((p, i) => expect(displayWidth(p)).toBeLessThanOrEqual(i === 0 ? width : width - 2));
    }
  });

  it('prefers to break after a space in the second half of the line', () => {
    expect(wrapCode('const reply = `Echo: ${text}`;', 22)).toEqual(['const reply = `Echo: ', '${text}`;']);
  });

  it('leaves a line that fits alone', () => {
    expect(wrapCode('  x = 1;', 8)).toEqual(['  x = 1;']);
  });
});
