// Lab 04 · A robust UDP server: the processor from lab 03, as it is.
//
// processMessage(data) turns the bytes of one request into the bytes of one
// reply. Byte for byte, the reply is either
//
//   "Response: " (52 65 73 70 6f 6e 73 65 3a 20) followed by the request's
//   text in upper case, as UTF-8, when the request is valid UTF-8 (an empty
//   one included); nothing else changes: spaces, tabs, "\r\n", NUL and a
//   leading byte-order mark (ef bb bf) stay where they are;
//
//   or the 23 bytes of "Error: Invalid encoding", when it is not.
//
//   "hello"           → "Response: HELLO"
//   "straße"          → "Response: STRASSE"   (upper case may change length)
//   bytes ff fe 41    → "Error: Invalid encoding"
//
// server.ts hands it to startServer (udp-server.ts), which does not know or
// care what it does: any function from bytes to bytes (or to a promise of
// bytes) will do, including the ones the checker passes in to make
// processing fail on purpose.

// A decoder that throws on bytes that are not valid UTF-8, as Python's
// data.decode('utf-8') raises. `data.toString('utf8')` never throws: it
// quietly puts "�" (U+FFFD) where each bad sequence was, so an "Error:
// Invalid encoding" branch built on it would never run. `ignoreBOM: true`
// keeps a leading byte-order mark as U+FEFF, as Python does; without it, a
// TextDecoder drops it without a word.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function processMessage(data: Buffer): Buffer {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    // A TypeError, code ERR_ENCODING_INVALID_ENCODED_DATA: not text.
    return Buffer.from('Error: Invalid encoding', 'utf8');
  }
  // toUpperCase() follows Unicode, as Python's upper() does: "ŉ" (2 bytes)
  // becomes "ʼN" (3 bytes), so the reply is sized from the new text, never
  // from the request.
  return Buffer.from(`Response: ${text.toUpperCase()}`, 'utf8');
}
