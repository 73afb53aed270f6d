// Lab 06's protocol as the checker knows it, written from the wire format (the header of
// solutions/06-stateless-requests/handle-request.ts) and not from anyone's server: what a correct
// server answers to any bytes, and the likely cause when an answer is wrong.

import { decodeStrict, type Datagram, type Expectation } from '../../../tools/harness/index.ts';

export const UNKNOWN = 'Unknown command';
export const INVALID = 'Error: Invalid encoding';
/** `#`, 1 to 16 of A–Z a–z 0–9 - _, one space: a request id, at the very start only. */
export const ID = /^#[A-Za-z0-9_-]{1,16} /;
/** What TIME answers: UTC, ISO 8601, milliseconds, a Z. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The zone the checker starts servers in: 3½ hours behind UTC, so local time never passes for UTC. */
export const SERVER_TZ = 'America/St_Johns';

/** The id at the start of a request ("#a1 "), or "" when it has none. */
export function idOf(data: Buffer): string {
  return ID.exec(data.subarray(0, 18).toString('latin1'))?.[0] ?? '';
}

/** The answer to a request, without its id: text, or 'TIME' when it is the current time. */
export function answerTo(data: Buffer): { text: string } | { time: true } {
  const text = decodeStrict(data.subarray(idOf(data).length));
  if (text === undefined) return { text: INVALID };
  if (text === 'TIME') return { time: true };
  if (text.startsWith('ECHO ')) return { text: text.slice(5) };
  return { text: UNKNOWN };
}

/** A TIME answer `id + time`, taken between `since` and now (milliseconds since 1970, this machine's clock). */
export function timeReply(id: string, since: number): Expectation {
  return {
    describe: `${id ? `"${id}" and ` : ''}the current time in UTC, 24 bytes such as "${new Date(since).toISOString()}", taken after the request was sent`,
    test: (data) => {
      const text = decodeStrict(data);
      if (text === undefined || !text.startsWith(id)) return false;
      const time = text.slice(id.length);
      const at = Date.parse(time);
      return ISO_UTC.test(time) && at >= since && at <= Date.now();
    },
  };
}

/** What a correct server sends back for `data`; `since` is when it was sent, for TIME. */
export function expectedReply(data: Buffer, since: number): Expectation {
  const id = idOf(data);
  const answer = answerTo(data);
  return 'time' in answer ? timeReply(id, since) : Buffer.from(id + answer.text, 'utf8');
}

/**
 * The likely cause of a wrong answer `got` to `sent`, in the learner's terms, or undefined when
 * nothing better than the generic advice comes to mind.
 */
export function diagnose(sent: Buffer, got: Datagram | undefined, since = 0): string | undefined {
  if (!got) return undefined;
  const id = idOf(sent);
  const reply = decodeStrict(got.data);
  const body = decodeStrict(sent.subarray(id.length));
  const answer = answerTo(sent);
  if (reply === undefined) return 'The reply is not valid UTF-8. Build it as text and encode it with Buffer.from(text, \'utf8\'), or send the request\'s own bytes.';
  if (reply.includes('\uFFFD') && !(body ?? '').includes('\uFFFD')) {
    return "The reply has \"�\" (U+FFFD) in it: bytes were decoded with toString('utf8'), which never fails. Decode with new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).";
  }
  if (id && !reply.startsWith(id)) {
    return `The request starts with the id "${id.trim()}": its reply must start with the same "${id}" (the # and the space included), then the answer.`;
  }
  const idLike = /^#[^ ]* /.exec(sent.toString('latin1'))?.[0];
  if (!id && idLike && reply.startsWith(idLike)) {
    return `"${idLike.trim()}" is not an id: an id is 1 to 16 of A–Z, a–z, 0–9, "-" and "_" after the "#". A request without a valid id is read whole, as a command, and "${idLike.trim()} …" is not one: "${UNKNOWN}".`;
  }
  const rest = reply.slice(id.length);
  if ('time' in answer) return timeHint(rest, since);
  const want = answer.text;
  if (want === INVALID) {
    return 'Bytes that are not UTF-8 are not a command: decode with a decoder that throws (new TextDecoder(\'utf-8\', { fatal: true, ignoreBOM: true })) and answer "Error: Invalid encoding" when it does, the id in front if there is one.';
  }
  if (body !== undefined && body.startsWith('\uFEFF') && rest !== UNKNOWN) {
    return "The request starts with a byte-order mark (ef bb bf), which TextDecoder drops unless you pass ignoreBOM: true. The document's Python keeps it, so \"\\uFEFFTIME\" is not TIME.";
  }
  if (want === UNKNOWN) {
    if (body && ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'].includes(body)) {
      return `"${body}" is a name every plain object inherits: COMMANDS["${body}"] finds it. Keep the commands in a Map (COMMANDS.get(name)), or test Object.hasOwn(COMMANDS, name).`;
    }
    if (body && body !== body.trim() && ['TIME', 'ECHO'].includes(body.trim().split(' ')[0]!)) {
      return `Commands are compared as sent: ${JSON.stringify(body)} is not "${body.trim()}". Do not trim the request (nc without -n sends a newline: use printf or echo -n).`;
    }
    if (body && body !== body.toUpperCase() && ['TIME', 'ECHO'].includes(body.toUpperCase().split(' ')[0]!)) {
      return `Commands are case-sensitive, as in the document: ${JSON.stringify(body)} is not a command.`;
    }
    if (body === 'ECHO' || body?.startsWith('ECHO') === true) {
      return 'Only "ECHO " with its space, then the text, is an echo: "ECHO" alone and "ECHOX" are unknown. Test for the five bytes "ECHO ", or for the name "ECHO" followed by a space.';
    }
    if (body?.startsWith('TIME') === true) {
      return 'TIME takes nothing after it: only the four bytes "TIME" are TIME. Looking at the first word only (split(" ")[0]) makes "TIME now" the time.';
    }
    return `Anything that is not exactly TIME or "ECHO " followed by text gets "${UNKNOWN}".`;
  }
  if (rest === UNKNOWN) return 'An echo is "ECHO " (with its space) and the text: add ECHO to the command table, answering the text after the space, as it is.';
  if (rest !== want && [want.trim(), want.trimStart(), want.trimEnd()].includes(rest)) {
    return 'The text was trimmed. Echo every byte after "ECHO ", spaces, tabs and newlines included: nothing taken away, nothing added.';
  }
  if (want.startsWith(rest) && rest.length < want.length) {
    if (want[rest.length] === '\u0000') return 'The echo stops at a NUL byte (00). It is a character like any other: echo every byte after "ECHO ".';
    return `Only ${Buffer.byteLength(rest)} of ${Buffer.byteLength(want)} bytes came back. Node hands over the whole datagram, up to 65,507 bytes: do not cut it (no fixed buffer, no subarray(0, 1024) after Python's recvfrom(1024)).`;
  }
  return undefined;
}

/** Why a TIME answer is wrong. */
export function timeHint(text: string, since: number): string {
  const at = Date.parse(text.endsWith('Z') || /[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  if (text === UNKNOWN) return 'Add TIME to the command table: it answers new Date().toISOString(), the current time in UTC.';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/.test(text)) {
    return "That is Python's datetime.now().isoformat(): the local time, with no zone, so the same moment reads differently on two machines. Answer UTC with milliseconds and a Z: new Date().toISOString().";
  }
  if (!ISO_UTC.test(text)) return 'TIME answers exactly 24 bytes, YYYY-MM-DDThh:mm:ss.mmmZ: new Date().toISOString(), nothing before or after it.';
  if (Number.isFinite(at) && Math.abs(at - Date.now()) > 30 * 60_000) {
    const hours = (at - Date.now()) / 3_600_000;
    return `That time is ${Math.abs(hours).toFixed(1)} hours ${hours < 0 ? 'behind' : 'ahead of'} the checker's clock: a local time (the checker runs your server in ${SERVER_TZ}, 3½ hours behind UTC) written as if it were UTC. toISOString() gives UTC itself; do not shift it by getTimezoneOffset().`;
  }
  if (Number.isFinite(at) && at < since) {
    return `That time is ${since - at} ms before the request was sent: it was worked out earlier (when the command table was built, or for an earlier request) and kept. Work it out for each request: a function, () => new Date().toISOString(), not its value.`;
  }
  return 'TIME answers the time at which it is asked, in UTC: new Date().toISOString().';
}
