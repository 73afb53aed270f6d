// Lab 06 · Stateless requests: the protocol, one datagram in, one out.
//
// handleRequest(data) turns the bytes of one request into the bytes of its
// reply, and remembers nothing: the same request gets the same kind of
// answer whoever sends it, whenever, and from whichever copy of the server.
//
// The wire format. One request is one UDP datagram; its reply is one
// datagram, sent from the socket the request came to, to the address and
// port it came from. Bytes are written in hex, text in quotes.
//
//   request  = [id] command
//   id       = "#" (23), 1 to 16 bytes of A-Z a-z 0-9 "-" (2d) "_" (5f),
//              then one space (20). A request that does not start with
//              exactly that has no id, and is read whole as a command.
//   reply    = [the same id, "#" to the space] answer
//
// The command (the bytes after the id, if any) is UTF-8 text, compared
// byte for byte: no trimming, no case folding, no newline at the end.
//
//   "TIME"          → the current time in UTC, as ISO 8601 with
//                     milliseconds: 24 bytes, "2026-12-02T05:30:00.123Z"
//                     (YYYY-MM-DD "T" hh:mm:ss "." mmm "Z", for the years
//                     0000 to 9999). A request of 4 bytes, a reply of 24.
//   "ECHO " text    → text: every byte after the five of "ECHO ", spaces,
//                     tabs, 0d 0a and 00 included; "ECHO " alone gets an
//                     empty answer (a reply of 0 bytes, or the id alone).
//   anything else   → "Unknown command" (15 bytes): "time", "TIME ",
//                     "TIME\n", "ECHO", "ECHOX", the empty datagram.
//   not UTF-8       → "Error: Invalid encoding" (23 bytes). A leading
//                     byte-order mark (ef bb bf) is a character like any
//                     other: "\uFEFFTIME" is an unknown command.
//
//   "#a1 TIME"      → "#a1 2026-12-02T05:30:00.123Z"
//   "#a1 ECHO hi"   → "#a1 hi"
//   "#a1 time"      → "#a1 Unknown command"
//   "#a1 " ff       → "#a1 Error: Invalid encoding"
//   "#a.1 TIME"     → "Unknown command" ("." is not allowed in an id)
//
// The source document's handle_request is kept where it is right: for
// every request of up to 1,024 bytes of UTF-8 that has no id, other than
// TIME, the reply is the document's, byte for byte. It differs in three
// places, on purpose:
//   - TIME: the document's datetime.now().isoformat() is the machine's
//     local time with no zone ("2026-12-02T06:30:00.123456"), so the same
//     instant reads differently on two machines; ours is UTC, with a Z;
//   - bytes that are not UTF-8: the document answers "Error: " and
//     Python's exception text, which no client should have to parse; ours
//     is the fixed "Error: Invalid encoding" of lesson 03;
//   - the request id is ours: to the document, "#a1 TIME" is unknown. It is
//     how a client tells which request a reply answers when it sends the
//     same request again (DNS's message id does this; lesson 08 uses it).
// And the document reads datagrams with recvfrom(1024), which cuts longer
// ones short; Node hands over the whole datagram, up to 65,507 bytes.

const UNKNOWN = 'Unknown command';
const INVALID = 'Error: Invalid encoding';

// fatal: bytes that are not UTF-8 throw, instead of turning silently into
// "�" as data.toString('utf8') does. ignoreBOM: keep a leading byte-order
// mark as the character U+FEFF, as Python's decode() does; without it,
// "\uFEFFTIME" would decode as "TIME" and get the time.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A command takes an argument ("ECHO hi") or takes none ("TIME"). */
interface Command {
  argument: boolean;
  run: (argument: string) => string;
}

// The command table. A new command is one more line, and a name that is
// not in it is unknown. A Map, not a plain object: COMMANDS['toString']
// would find a function every object inherits.
const COMMANDS = new Map<string, Command>([
  // A function, called for each request: the time when it is asked.
  ['TIME', { argument: false, run: () => new Date().toISOString() }],
  ['ECHO', { argument: true, run: (text) => text }],
]);

/** The answer to a command, as text (the id is not part of it). */
function answer(bytes: Buffer): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return INVALID;
  }
  // The name runs to the first space; the argument is everything after
  // that one space, exactly as sent ("ECHO  hi" echoes " hi").
  const space = text.indexOf(' ');
  const name = space === -1 ? text : text.slice(0, space);
  const command = COMMANDS.get(name);
  // "ECHO" without its space, or "TIME " with one, is not a command.
  if (command === undefined || command.argument !== (space !== -1)) {
    return UNKNOWN;
  }
  return command.run(space === -1 ? '' : text.slice(space + 1));
}

// "#", 1 to 16 id characters, one space. Anchored at the start: an id
// anywhere else is just part of the command.
const ID = /^#[A-Za-z0-9_-]{1,16} /;

export function handleRequest(data: Buffer): Buffer {
  // The id is ASCII, so it is found in the bytes, before any decoding: an
  // error in the rest still gets an answer the client can match. 'latin1'
  // turns each byte into one character, and no byte of a multi-byte UTF-8
  // character is an id character, or a space.
  const id = ID.exec(data.subarray(0, 18).toString('latin1'))?.[0] ?? '';
  const rest = data.subarray(id.length);
  return Buffer.from(id + answer(rest), 'utf8');
}
