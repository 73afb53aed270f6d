// Lab 03 · A complete UDP server: the processing step, kept apart from the
// transport.
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
// It knows nothing about sockets, addresses or logs: bytes in, bytes out.
// That is what makes it worth a module of its own. Lesson 04 hands it to a
// server as a parameter and tests that server with processors that fail on
// purpose.

export function processMessage(data: Buffer): Buffer {
  // TODO: 1. Decode `data` as UTF-8 with a decoder that throws on invalid
  //          bytes and keeps a leading byte-order mark, as Python does:
  //          new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).
  //          Not data.toString('utf8'): it never throws, it quietly turns
  //          bad bytes into "�" (see the lesson).
  // TODO: 2. If decoding throws, return the bytes of "Error: Invalid
  //          encoding".
  // TODO: 3. Otherwise return the bytes of "Response: " followed by the
  //          text in upper case, nothing trimmed, nothing added.
  return data; // for now the request comes back unchanged
}
