// Lab 05 · Large datagrams: the wire format, byte by byte, and the pure
// functions that write and read it. Nothing here touches the network.
//
// A transfer moves up to 1,228,800 bytes (1,024 chunks of 1,200) from a
// sender to the server. The sender chooses a transfer id, cuts the data into
// chunks of at most 1,200 bytes, and sends each chunk as one datagram:
//
//   offset  size     field        meaning
//   0       4        transfer id  u32, big-endian: the sender's name for it
//   4       4        index        u32, big-endian: 0 to count - 1
//   8       4        count        u32, big-endian: chunks in the transfer,
//                                 1 to 1,024, the same in every chunk
//   12      0-1,200  payload      the chunk's bytes
//
// "hello", as transfer 7 of one chunk, is one datagram of 17 bytes:
//
//   00 00 00 07   00 00 00 00   00 00 00 01   68 65 6c 6c 6f
//   id 7          index 0       count 1       "hello"
//
// The data is the payloads joined in index order. Empty data is one chunk
// with an empty payload (a count of 0 is invalid). Every chunk but the last
// carries 1,200 bytes when this file's splitIntoChunks cuts the data; the
// server accepts any payload of 0 to 1,200 bytes, in any order, any number
// of times. The largest datagram is 12 + 1,200 = 1,212 bytes.
//
// The server answers with one datagram of ASCII text, with no newline:
//
//   DONE <id> <bytes> <sha256>  the transfer is complete: <bytes> is the
//                               data's length and <sha256> its SHA-256 in 64
//                               lowercase hex digits. Sent once on
//                               completion, and again for any chunk of it
//                               that arrives in the next 30 s.
//   MISSING <id> <list>         sent when a transfer has been quiet for
//                               200 ms, and not again until more of its
//                               chunks have come and it is quiet again: the
//                               indices still to come, in ascending order,
//                               as ranges ("3-5" is 3, 4 and 5) joined by
//                               commas: "MISSING 7 0,3-5,9". Every index
//                               the list leaves out has arrived.
//                               A reply is at most 1,200 bytes: when the
//                               list is longer, its last range runs to
//                               count - 1, and may name chunks that came.
//   ERROR <id> <reason>         the datagram is not a valid chunk; <reason>
//                               is free text. <id> is "-" for a datagram
//                               shorter than the 12-byte header.
//   BUSY <id>                   the server has too many transfers in
//                               progress to start this one.
//
// <id> is always the transfer id in decimal: "DONE 7 5 2cf24dba…" above.
//
// This follows the source document where it can: integers are 4-byte
// big-endian, as its `to_bytes(4, 'big')`, and every chunk carries its index.
// It differs where the document's protocol breaks: the document sends the
// chunk count alone, in a first datagram, and nothing says which transfer a
// chunk belongs to; here every chunk carries the id and the count, so no
// datagram is special, and any of them may be lost, come first, or come
// twice. And the document's receiver answers nothing; this one answers.
// (The server's rules, and its limits, are in reassembler.ts.)

import { createHash } from 'node:crypto';

export const HEADER_BYTES = 12;
export const MAX_PAYLOAD = 1200;
export const MAX_CHUNKS = 1024;
/** The most data one transfer carries: 1,228,800 bytes. */
export const MAX_DATA = MAX_CHUNKS * MAX_PAYLOAD;
/** The longest reply the server sends. */
export const MAX_REPLY = 1200;

export interface Chunk {
  id: number;
  index: number;
  count: number;
  payload: Buffer;
}

/** A chunk, or why the datagram is not one (and its id, if it has one). */
export type Parsed =
  | { ok: true; chunk: Chunk }
  | { ok: false; id: number | undefined; reason: string };

export function encodeChunk({ id, index, count, payload }: Chunk): Buffer {
  const datagram = Buffer.alloc(HEADER_BYTES + payload.length);
  datagram.writeUInt32BE(id, 0);
  datagram.writeUInt32BE(index, 4);
  datagram.writeUInt32BE(count, 8);
  payload.copy(datagram, HEADER_BYTES);
  return datagram;
}

/**
 * Reads one datagram. Every field a stranger controls is checked before it
 * is trusted: a count of 4,294,967,295 must never become an array of that
 * length.
 */
export function parseChunk(datagram: Buffer): Parsed {
  // TODO: 1. Check every field before trusting it, and return
  //          { ok: false, id, reason } for a datagram that is not a chunk:
  //          - shorter than HEADER_BYTES: id undefined (readUInt32BE past
  //            the end throws a RangeError);
  //          - a count of 0, or over MAX_CHUNKS;
  //          - an index that is not below the count;
  //          - a payload over MAX_PAYLOAD bytes.
  //          The reason is free text, for the ERROR reply.
  const id = datagram.readUInt32BE(0);
  const index = datagram.readUInt32BE(4);
  const count = datagram.readUInt32BE(8);
  const payload = datagram.subarray(HEADER_BYTES);
  return { ok: true, chunk: { id, index, count, payload } };
}

/** The datagrams of one transfer: `data` cut into chunks of 1,200 bytes. */
export function splitIntoChunks(id: number, data: Buffer): Buffer[] {
  if (data.length > MAX_DATA) {
    throw new RangeError(`${data.length} B is over ${MAX_DATA} B`);
  }
  // TODO: 2. Empty data is one chunk with an empty payload: a count of 0 is
  //          invalid, and the server would never hear of the transfer.
  const count = Math.ceil(data.length / MAX_PAYLOAD);
  const datagrams: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    const start = index * MAX_PAYLOAD;
    const payload = data.subarray(start, start + MAX_PAYLOAD);
    datagrams.push(encodeChunk({ id, index, count, payload }));
  }
  return datagrams;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---- replies ----

export type Reply =
  | { kind: 'DONE'; id: number; bytes: number; sha256: string }
  | { kind: 'MISSING'; id: number; indices: number[] }
  | { kind: 'ERROR'; id: number | undefined; reason: string }
  | { kind: 'BUSY'; id: number };

export function doneReply(id: number, data: Buffer): string {
  return `DONE ${id} ${data.length} ${sha256(data)}`;
}

/**
 * "MISSING <id> <list>" for the sorted indices `missing` of a transfer of
 * `count` chunks, cut to MAX_REPLY bytes: when the whole list does not fit,
 * the ranges that fit are kept and the last one is stretched to count - 1,
 * so that every index left out has still truly arrived.
 */
export function missingReply(
  id: number,
  missing: number[],
  count: number,
): string {
  const ranges: [number, number][] = [];
  for (const i of missing) {
    const last = ranges.at(-1);
    if (last && i === last[1] + 1) last[1] = i;
    else ranges.push([i, i]);
  }
  const show = ([a, b]: [number, number]) => (a === b ? `${a}` : `${a}-${b}`);
  const prefix = `MISSING ${id} `;
  // TODO: 3. A reply is at most MAX_REPLY (1,200) bytes. When the whole list
  //          does not fit, keep as many ranges as fit and end with one that
  //          runs from the next missing index to count - 1, so that every
  //          index left out has still truly arrived.
  return prefix + ranges.map(show).join(',');
}

/** "0,3-5,9" → [0, 3, 4, 5, 9]; undefined if it is not such a list. */
export function parseList(text: string): number[] | undefined {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) return undefined;
  const indices: number[] = [];
  for (const item of text.split(',')) {
    const [a = 0, b = a] = item.split('-').map(Number);
    if (b < a || b - a > MAX_CHUNKS) return undefined;
    for (let i = a; i <= b; i++) indices.push(i);
  }
  return indices;
}

/** A reply datagram as the sender reads it; undefined if it is none. */
export function parseReply(datagram: Buffer): Reply | undefined {
  const [kind, idText = '', ...rest] = datagram.toString('latin1').split(' ');
  const id = /^\d{1,10}$/.test(idText) ? Number(idText) : undefined;
  if (kind === 'ERROR' && (id !== undefined || idText === '-')) {
    return { kind, id, reason: rest.join(' ') };
  }
  if (id === undefined) return undefined;
  if (kind === 'BUSY' && rest.length === 0) return { kind, id };
  if (kind === 'DONE' && rest.length === 2) {
    const [bytes = '', hash = ''] = rest;
    if (!/^\d+$/.test(bytes) || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
    return { kind, id, bytes: Number(bytes), sha256: hash };
  }
  if (kind === 'MISSING' && rest.length === 1) {
    const indices = parseList(rest[0]!);
    return indices && { kind, id, indices };
  }
  return undefined;
}
