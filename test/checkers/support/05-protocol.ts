// Lab 05's wire format as the checker knows it, written apart from the lab's chunks.ts so that
// the checker never grades the lab with the lab's own code. The format is specified in
// solutions/05-large-datagrams/chunks.ts and in the lesson; in short:
//   chunk: u32 BE transfer id · u32 BE index · u32 BE count · 0–1,200 B of payload
//   reply: "DONE <id> <bytes> <sha256>" | "MISSING <id> <list>" | "ERROR <id>|- <reason>" | "BUSY <id>"

import { createHash } from 'node:crypto';

export const HEADER = 12;
export const MAX_PAYLOAD = 1200;
export const MAX_DATAGRAM = HEADER + MAX_PAYLOAD;
export const MAX_CHUNKS = 1024;
export const MAX_REPLY = 1200;
export const MIB = 1 << 20;

export function chunk(id: number, index: number, count: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const datagram = Buffer.alloc(HEADER + body.length);
  datagram.writeUInt32BE(id >>> 0, 0);
  datagram.writeUInt32BE(index >>> 0, 4);
  datagram.writeUInt32BE(count >>> 0, 8);
  body.copy(datagram, HEADER);
  return datagram;
}

/** The chunk datagrams of `data` as a correct sender cuts it: 1,200 B each, the last shorter, one for empty data. */
export function chunksOf(id: number, data: Buffer): Buffer[] {
  const count = Math.max(1, Math.ceil(data.length / MAX_PAYLOAD));
  return Array.from({ length: count }, (_, i) => chunk(id, i, count, data.subarray(i * MAX_PAYLOAD, (i + 1) * MAX_PAYLOAD)));
}

export const chunkCount = (bytes: number) => Math.max(1, Math.ceil(bytes / MAX_PAYLOAD));

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export const done = (id: number, data: Buffer) => `DONE ${id} ${data.length} ${sha256(data)}`;

/** `size` bytes from a seed (xorshift32): the same in the checker and in the probe, fast for 1 MiB. */
export function seededData(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    if ((i & 3) === 0) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
    }
    out[i] = (x >>> ((i & 3) * 8)) & 0xff;
  }
  return out;
}

/**
 * Text whose UTF-8 bytes put a character across each of the first chunk boundaries: "€" (3 B)
 * over byte 1,200 and "🎉" (4 B) over byte 2,400, with "é" (2 B) and plain letters around them.
 */
export function straddlingText(): string {
  const head = 'a'.repeat(1199); // "€" is bytes 1,199–1,201
  const middle = 'é'.repeat(598); // 1,196 B: bytes 1,202–2,397
  const text = `${head}€${middle}b🎉${'ü'.repeat(300)} done`; // "🎉" is bytes 2,399–2,402
  return text;
}

export type Reply =
  | { kind: 'DONE'; id: number; bytes: number; sha256: string }
  | { kind: 'MISSING'; id: number; indices: number[] }
  | { kind: 'ERROR'; id: number | undefined; reason: string }
  | { kind: 'BUSY'; id: number };

/** The indices of "0,3-5,9", or why the text is not such a list. */
export function parseList(text: string): number[] | string {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) return `"${text.slice(0, 40)}" is not a list such as "0,3-5,9" (no spaces)`;
  const out: number[] = [];
  for (const item of text.split(',')) {
    const [a = 0, b = a] = item.split('-').map(Number);
    if (b < a) return `the range "${item}" runs backwards`;
    if (out.length > 0 && a <= out.at(-1)!) return `"${item}" comes after ${out.at(-1)}: the list must go up`;
    if (b - a > MAX_CHUNKS) return `the range "${item}" is longer than any transfer`;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

/** A reply as the spec writes it, or why the datagram is not one. */
export function parseReply(datagram: Buffer): Reply | string {
  const text = datagram.toString('latin1');
  if (!/^[\x20-\x7e]*$/.test(text)) return 'it is not one line of plain ASCII text';
  const [kind = '', idText = '', ...rest] = text.split(' ');
  const id = /^\d{1,10}$/.test(idText) && Number(idText) < 2 ** 32 ? Number(idText) : undefined;
  if (!['DONE', 'MISSING', 'ERROR', 'BUSY'].includes(kind)) return 'it does not start with DONE, MISSING, ERROR or BUSY and a space';
  if (kind === 'ERROR') {
    if (id === undefined && idText !== '-') return `"${idText}" after ERROR is not a transfer id (or "-")`;
    if (rest.join(' ').trim() === '') return 'it gives no reason after the id';
    return { kind, id, reason: rest.join(' ') };
  }
  if (id === undefined) return `"${idText}" after ${kind} is not a transfer id in decimal`;
  if (kind === 'BUSY') return rest.length === 0 ? { kind, id } : 'BUSY is followed by the id only';
  if (kind === 'DONE') {
    const [bytes = '', hash = ''] = rest;
    if (rest.length !== 2 || !/^\d+$/.test(bytes) || !/^[0-9a-f]{64}$/.test(hash)) {
      return 'DONE is followed by the id, the length in bytes and the SHA-256 in 64 lowercase hex digits, one space apart';
    }
    return { kind, id, bytes: Number(bytes), sha256: hash };
  }
  if (rest.length !== 1) return 'MISSING is followed by the id and one list, such as "0,3-5,9", with no spaces in it';
  const indices = parseList(rest[0]!);
  return typeof indices === 'string' ? indices : { kind: 'MISSING', id, indices };
}

/** "3-5,9" for [3, 4, 5, 9], shortened for messages. */
export function showList(indices: readonly number[], max = 12): string {
  const ranges: [number, number][] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && i === last[1] + 1) last[1] = i;
    else if (!last || i !== last[1]) ranges.push([i, i]);
  }
  const shown = ranges.slice(0, max).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  return ranges.length > max ? `${shown.join(',')},… (${indices.length} in all)` : shown.join(',');
}

/** "chunk 3 of 5 of transfer 7 (1,213 B: the 12-byte header and 1,201 B of payload)". */
export function describeChunk(datagram: Buffer): string {
  if (datagram.length < HEADER) return `a datagram of ${datagram.length} B, shorter than the 12-byte header`;
  const id = datagram.readUInt32BE(0);
  const index = datagram.readUInt32BE(4);
  const count = datagram.readUInt32BE(8);
  return `chunk ${index} of ${count} of transfer ${id} (${bytes(datagram.length)}: the 12-byte header and ${bytes(datagram.length - HEADER)} of payload)`;
}

export const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
