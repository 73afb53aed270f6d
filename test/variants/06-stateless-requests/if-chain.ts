// A correct handle-request.ts in the document's own shape: a chain of ifs on the whole request
// (`request == "TIME"`, `request.startswith("ECHO ")`), buffer.isUtf8 instead of a fatal
// TextDecoder, and the id cut off the bytes with a loop instead of a regular expression.
import { isUtf8 } from 'node:buffer';

const ID_CHAR = /[A-Za-z0-9_-]/;

/** How many bytes of `data` are its id, the "#" and the space included (0: none). */
function idLength(data: Buffer): number {
  if (data[0] !== 0x23) return 0; // "#"
  let i = 1;
  while (i < data.length && i <= 16 && ID_CHAR.test(String.fromCharCode(data[i]!))) i++;
  return i > 1 && data[i] === 0x20 ? i + 1 : 0;
}

function handle(request: string): string {
  if (request === 'TIME') {
    return new Date().toISOString();
  } else if (request.startsWith('ECHO ')) {
    return request.slice(5);
  } else {
    return 'Unknown command';
  }
}

export function handleRequest(data: Buffer): Buffer {
  const id = data.subarray(0, idLength(data));
  const rest = data.subarray(id.length);
  // Buffer's toString keeps a leading byte-order mark, as Python does.
  const answer = isUtf8(rest) ? handle(rest.toString('utf8')) : 'Error: Invalid encoding';
  return Buffer.concat([id, Buffer.from(answer, 'utf8')]);
}
