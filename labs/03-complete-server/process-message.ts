// Lab 03 · A complete UDP server: the processing step, kept apart from the transport.
//
// processMessage(data) turns the bytes of one request into the bytes of one reply:
//
//   "hello"           → "Response: HELLO"
//   "straße"          → "Response: STRASSE"        (the reply can be longer than the request)
//   bytes ff fe 41    → "Error: Invalid encoding"  (not UTF-8)
//
// It knows nothing about sockets, addresses or logs: bytes in, bytes out. That is what makes it
// worth a module of its own. Lesson 04 hands it to a server as a parameter and tests that server
// with processors that fail on purpose; lesson 06 grows it into a dispatcher of commands.

export function processMessage(data: Buffer): Buffer {
  // TODO: 1. Decode `data` as UTF-8 with a decoder that throws on invalid bytes:
  //          new TextDecoder('utf-8', { fatal: true }).decode(data). Not data.toString('utf8'):
  //          it never throws, it quietly turns bad bytes into "�" (see the lesson).
  // TODO: 2. If decoding throws, return the bytes of "Error: Invalid encoding".
  // TODO: 3. Otherwise return the bytes of "Response: " followed by the text in upper case.
  return data; // for now the request comes back unchanged
}
