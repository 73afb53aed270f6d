// Demo · lesson 10: what three ways of escaping leave raw for a terminal.
//
// Run:   node --import tsx lessons/10-security/escape.ts
//
// A request that a careless server logs as it came can clear the screen of
// whoever reads the log (ESC [2J), set their window's title (ESC ] 0;),
// overwrite a line (CR) or forge one (LF). This prints, for each way of
// escaping, which control characters would still reach the terminal raw: it
// never prints them itself.

import { inspect } from 'node:util';

// #region escape
// Byte by byte: printable ASCII stays, every other byte becomes \xHH.
function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c || b === 0x22) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}
// #endregion escape

const request = Buffer.from(
  'QUOTE\x1b[2J\x1b]0;owned\x07\rover\nFORGED\x7f\u009b31m', 'utf8');
const controls = (text: string) =>
  [...text].filter((c) => /[\x00-\x1f\x7f-\x9f]/.test(c))
    .map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);

const ways: [string, string][] = [
  ['msg.toString()', request.toString('utf8')],
  ['JSON.stringify', JSON.stringify(request.toString('utf8'))],
  ['util.inspect', inspect(request.toString('utf8'))],
  ['byte by byte', escapeBytes(request)],
];
for (const [way, text] of ways) {
  const raw = controls(text);
  console.log(`${way.padEnd(15)} leaves raw: ${raw.join(' ') || 'nothing'}`);
}
console.log(`byte by byte gives ${escapeBytes(request)}`);
// It prints:
//   msg.toString()  leaves raw: U+001b U+001b U+0007 U+000d U+000a U+007f
//                   U+009b
//   JSON.stringify  leaves raw: U+007f U+009b
//   util.inspect    leaves raw: nothing
//   byte by byte    leaves raw: nothing
//   byte by byte gives "QUOTE\x1b[2J\x1b]0;owned\x07\x0dover\x0aFORGED\x7f
//   \xc2\x9b31m"
