// Lab 08 · Timeouts: the server's protocol, lesson 06's commands and SLOW.
//
// handleRequest(data, signal) turns the bytes of one request into the
// bytes of its reply. Most answers are ready at once; SLOW's come later,
// which is what gives the server requests "in progress" to finish when it
// is asked to stop. Aborting `signal` gives up on them: handleRequest then
// rejects, and there is no reply.
//
// The wire format. One request is one UDP datagram; its reply is one
// datagram, sent from the socket the request came to, to the address and
// port it came from. Bytes are written in hex, text in quotes.
//
//   request = [id] command
//   id      = "#" (23), 1 to 16 bytes of A-Z a-z 0-9 "-" (2d) "_" (5f),
//             then one space (20). A request that does not start with
//             exactly that has no id, and is read whole as a command.
//   reply   = [the same id, "#" to the space] answer
//
// The command (the bytes after the id, if any) is UTF-8 text, compared
// byte for byte: no trimming, no case folding, no newline at the end.
//
//   "TIME"            → the time in UTC, ISO 8601 with milliseconds, 24
//                       bytes: "2026-12-02T05:30:00.123Z"
//   "ECHO " text      → text, every byte after "ECHO " (spaces, tabs,
//                       0d 0a, 00 and all); "ECHO " alone: an empty answer
//   "SLOW " ms " " text
//                     → text, after ms milliseconds. ms is 1 to 5 digits
//                       (30-39) with a value from 0 to 10000: a request
//                       may hold the server for 10 s at most. Anything
//                       else after "SLOW " → "Error: Invalid delay" (20
//                       bytes), at once: "SLOW 10001 x", "SLOW -1 x",
//                       "SLOW 5" (no text), "SLOW 1.5 x".
//   anything else     → "Unknown command" (15 bytes): "time", "TIME ",
//                       "ECHO", "SLOW", the empty datagram.
//   not UTF-8         → "Error: Invalid encoding" (23 bytes). A leading
//                       byte-order mark (ef bb bf) is a character like any
//                       other: "\uFEFFTIME" is an unknown command.
//
//   "#a1 ECHO hi"        → "#a1 hi"
//   "#a1 SLOW 1500 hi"   → "#a1 hi", 1.5 s later
//   "#a1 " ff            → "#a1 Error: Invalid encoding"
//   "#a.1 TIME"          → "Unknown command" ("." is not an id character)
//
// TIME, ECHO and the id are lesson 06's, as the source document's
// stateless server has them, with lesson 06's three changes: TIME in UTC
// with a "Z" (the document's has no time zone), "Error: Invalid encoding"
// instead of Python's exception text, and the id. SLOW is this lesson's:
// the document's timeout server answers "Response" to everything, which
// leaves nothing to drain.

import { setTimeout as sleep } from 'node:timers/promises';

const UNKNOWN = 'Unknown command';
const INVALID_ENCODING = 'Error: Invalid encoding';
const INVALID_DELAY = 'Error: Invalid delay';
/** The longest SLOW the server accepts: no request holds it for longer. */
export const MAX_DELAY_MS = 10_000;

// fatal: bytes that are not UTF-8 throw instead of becoming "�".
// ignoreBOM: a leading byte-order mark stays a character, as in Python.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// "#", 1 to 16 id characters, one space, at the very start.
const ID = /^#[A-Za-z0-9_-]{1,16} /;
// SLOW's argument: the delay, one space, then the text.
const DELAY = /^(\d{1,5}) /;

/** The answer to a command, as text (the id is not part of it). */
async function answer(bytes: Buffer, signal?: AbortSignal): Promise<string> {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return INVALID_ENCODING;
  }
  if (text === 'TIME') return new Date().toISOString();
  if (text.startsWith('ECHO ')) return text.slice('ECHO '.length);
  // TODO: 1. SLOW: for "SLOW <ms> <text>", match DELAY against what follows
  //          "SLOW ". No match, or more than MAX_DELAY_MS: INVALID_DELAY, at
  //          once. Otherwise wait ms with `await sleep(ms, undefined,
  //          { signal })`, a timer the server can cancel through `signal`,
  //          then answer the text after the delay and its space.
  return UNKNOWN;
}

export async function handleRequest(
  data: Buffer,
  signal?: AbortSignal,
): Promise<Buffer> {
  // The id is ASCII, found in the bytes before anything is decoded, so
  // that even an error gets an answer the client can match. 'latin1' turns
  // each byte into one character; no byte of a multi-byte UTF-8 character
  // is an id character or a space.
  const id = ID.exec(data.subarray(0, 18).toString('latin1'))?.[0] ?? '';
  const text = await answer(data.subarray(id.length), signal);
  return Buffer.from(id + text, 'utf8');
}
