// A correct processMessage written differently: buffer.isUtf8 decides, then toString decodes,
// and the reply is assembled from Buffers.
import { isUtf8 } from 'node:buffer';

const PREFIX = Buffer.from('Response: ');
const INVALID = Buffer.from('Error: Invalid encoding');

export function processMessage(data: Buffer): Buffer {
  if (!isUtf8(data)) return INVALID;
  return Buffer.concat([PREFIX, Buffer.from(data.toString('utf8').toUpperCase())]);
}
