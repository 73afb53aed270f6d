// Lab 04 · A robust UDP server: the processor from lab 03, as it is.
//
// processMessage(data) turns the bytes of one request into the bytes of one reply:
//
//   "hello"           → "Response: HELLO"
//   bytes ff fe 41    → "Error: Invalid encoding"  (not UTF-8)
//
// server.ts hands it to startServer (udp-server.ts), which does not know or care what it does:
// any function from bytes to bytes (or to a promise of bytes) will do, including the ones the
// checker passes in to make processing fail on purpose.

// A decoder that throws on bytes that are not valid UTF-8. `data.toString('utf8')` never
// throws: it quietly puts "�" (U+FFFD) where each bad sequence was, so an "Error: Invalid
// encoding" branch built on it would never run. Python's data.decode('utf-8') raises; this is
// its equivalent in JavaScript.
const decoder = new TextDecoder('utf-8', { fatal: true });

export function processMessage(data: Buffer): Buffer {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    // A TypeError with code ERR_ENCODING_INVALID_ENCODED_DATA: the request is not text.
    return Buffer.from('Error: Invalid encoding', 'utf8');
  }
  // toUpperCase() follows Unicode, as Python's upper() does: "ß" becomes "SS", so the reply's
  // length is worked out from the new text, never from the request's.
  return Buffer.from(`Response: ${text.toUpperCase()}`, 'utf8');
}
