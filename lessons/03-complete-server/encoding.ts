// Demo · lesson 03: the decoding trap, the byte-order mark, and upper case
// that changes length.
//
// Run:   node --import tsx lessons/03-complete-server/encoding.ts
// It prints:
//   toString of 68 69 ff: "hi�" (no error: 0xff became �)
//   fatal TextDecoder:    TypeError ERR_ENCODING_INVALID_ENCODED_DATA
//   processMessage:       Error: Invalid encoding
//   ef bb bf 68 69 decodes to 2 characters, or 3 with ignoreBOM: true
//   "ŉ" → "ʼN": 1 → 2 UTF-16 units, 2 → 3 bytes
//   …

import { processMessage } from './process-message.ts';

// #region trap
// 1. "hi" followed by 0xff, a byte that never occurs in UTF-8.
const bad = Buffer.from([0x68, 0x69, 0xff]);

// toString never throws: a try/catch around it never reaches its catch.
const lenient = JSON.stringify(bad.toString('utf8'));
console.log(`toString of 68 69 ff: ${lenient} (no error: 0xff became �)`);

// A fatal TextDecoder throws, like Python's data.decode('utf-8').
try {
  new TextDecoder('utf-8', { fatal: true }).decode(bad);
} catch (err) {
  const { name, code } = err as Error & { code?: string };
  console.log(`fatal TextDecoder:    ${name} ${code}`);
}
console.log(`processMessage:       ${processMessage(bad)}`);
// #endregion trap

// #region bom
// 2. A TextDecoder also drops a leading byte-order mark (U+FEFF), which
//    Python keeps, unless it is told not to.
const bom = Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]);
const dropped = new TextDecoder('utf-8').decode(bom).length;
const kept = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom).length;
console.log(`ef bb bf 68 69 decodes to ${dropped} characters,`,
  `or ${kept} with ignoreBOM: true`);
// #endregion bom

// #region upper
// 3. Upper-casing follows Unicode: the length changes, in UTF-16 units
//    (what text.length counts) and in bytes (what goes on the wire).
for (const word of ['ŉ', 'ΐ', 'ß', 'ﬁ']) {
  const upper = word.toUpperCase();
  const units = `${word.length} → ${upper.length} UTF-16 units`;
  const size = Buffer.byteLength;
  const bytes = `${size(word)} → ${size(upper)} bytes`;
  console.log(`"${word}" → "${upper}": ${units}, ${bytes}`);
}
// #endregion upper
