// How a datagram is shown to a learner: as quoted text when it is valid, printable UTF-8,
// otherwise as hex; long payloads are shortened in the middle, with their size always given.

import { decodeStrict } from '../udp/payload.ts';

const MAX_SHOWN = 60;

export function describePayload(data: Buffer | string): string {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const size = `${buf.length} B`;
  if (buf.length === 0) return '(an empty datagram, 0 B)';
  const text = decodeStrict(buf);
  if (text !== undefined && isPrintable(text)) {
    return `${JSON.stringify(shorten(text, MAX_SHOWN))} (${size})`;
  }
  const hex = buf.subarray(0, 24).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return `hex ${hex}${buf.length > 24 ? ' …' : ''} (${size}${text === undefined ? ', not valid UTF-8' : ''})`;
}

function isPrintable(text: string): boolean {
  // Control characters other than tab and newline are shown as hex instead.
  return !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text);
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${chars.slice(0, half).join('')}…${chars.slice(-half).join('')}`;
}
