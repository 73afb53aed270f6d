// What lab 03's processor answers (lab 04 wires in the same one), for the checkers of both labs.

import { decodeStrict, type Datagram } from '../../../tools/harness/index.ts';

export const INVALID = 'Error: Invalid encoding';

export const respond = (text: string) => `Response: ${text.toUpperCase()}`;

/** What a correct server answers to any bytes. */
export function upperCaseReply(data: Buffer): Buffer {
  const text = decodeStrict(data);
  return Buffer.from(text === undefined ? INVALID : respond(text), 'utf8');
}

/** The likely cause of a wrong answer to bytes that are not UTF-8. */
export function invalidHint(got: Datagram | undefined): string | undefined {
  if (!got) return undefined;
  const text = got.data.toString('utf8');
  if (text.startsWith('Response:') && text.includes('\uFFFD')) {
    return "The bytes were decoded with toString('utf8'), which never fails: it puts \"�\" (U+FFFD) where the bad bytes were. Decode with new TextDecoder('utf-8', { fatal: true }).decode(data) inside try/catch, and answer \"Error: Invalid encoding\" in the catch.";
  }
  if (text.startsWith('Response:')) return 'Bytes that are not UTF-8 are not text: decode with a decoder that throws (TextDecoder with fatal: true) and answer "Error: Invalid encoding" when it does.';
  return undefined;
}
