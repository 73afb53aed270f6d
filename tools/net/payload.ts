// Payloads as the learner types and reads them: text (UTF-8) or hex. Unlike the harness's short
// descriptions, nothing is cut: a netcat shows the whole datagram.

import { decodeStrict } from '../udp/payload.ts';

/** `hello` → its UTF-8 bytes; with hex, `68 65 6c 6c 6f`, `68656c6c6f`, `0x68:65` → those bytes. */
export function parsePayload(text: string, hex = false): Buffer {
  if (!hex) return Buffer.from(text, 'utf8');
  const digits = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) {
    const why = /^[0-9a-f]*$/i.test(digits) ? 'an odd number of hex digits' : 'characters that are not hex digits';
    throw new PayloadError(`"${text}" has ${why}: write pairs of hex digits, e.g. 68 65 6c 6c 6f for "hello".`);
  }
  return Buffer.from(digits, 'hex');
}

export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** `"Echo: hello" (11 B)`, or `hex 00 ff (2 B)` with hex, or when the bytes are not printable UTF-8. */
export function showPayload(data: Buffer, hex = false): string {
  if (data.length === 0) return '(an empty datagram, 0 B)';
  const text = hex ? undefined : decodeStrict(data);
  if (text !== undefined && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return `${JSON.stringify(text)} (${data.length} B)`;
  const note = !hex && text === undefined ? ', not valid UTF-8' : '';
  return `hex ${data.toString('hex').replace(/(..)(?!$)/g, '$1 ')} (${data.length} B${note})`;
}

/** A size for messages, with thousands separated: `65,507 B`. */
export function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} B`;
}
