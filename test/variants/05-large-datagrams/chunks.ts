// A correct lab 05 written differently: the wire format read with a DataView, replies built by
// one function per kind, and the MISSING list cut from its end until it fits.

import { createHash } from 'node:crypto';

export const HEADER_BYTES = 12;
export const MAX_PAYLOAD = 1200;
export const MAX_CHUNKS = 1024;
export const MAX_DATA = MAX_CHUNKS * MAX_PAYLOAD;
export const MAX_REPLY = 1200;

export interface Chunk {
  id: number;
  index: number;
  count: number;
  payload: Buffer;
}

export type Parsed = { ok: true; chunk: Chunk } | { ok: false; id: number | undefined; reason: string };

export function encodeChunk(c: Chunk): Buffer {
  const header = new DataView(new ArrayBuffer(HEADER_BYTES));
  header.setUint32(0, c.id);
  header.setUint32(4, c.index);
  header.setUint32(8, c.count);
  return Buffer.concat([Buffer.from(header.buffer), c.payload]);
}

export function parseChunk(datagram: Buffer): Parsed {
  if (datagram.byteLength < HEADER_BYTES) return { ok: false, id: undefined, reason: `only ${datagram.byteLength} bytes` };
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const id = view.getUint32(0);
  const index = view.getUint32(4);
  const count = view.getUint32(8);
  const size = datagram.byteLength - HEADER_BYTES;
  const reason =
    count < 1 || count > MAX_CHUNKS ? `bad count ${count}`
    : index >= count ? `bad index ${index}/${count}`
    : size > MAX_PAYLOAD ? `chunk too big (${size})`
    : undefined;
  if (reason) return { ok: false, id, reason };
  return { ok: true, chunk: { id, index, count, payload: Buffer.from(datagram.subarray(HEADER_BYTES)) } };
}

export function splitIntoChunks(id: number, data: Buffer): Buffer[] {
  if (data.length > MAX_DATA) throw new RangeError('too much data for one transfer');
  const out: Buffer[] = [];
  let offset = 0;
  do {
    out.push(data.subarray(offset, offset + MAX_PAYLOAD));
    offset += MAX_PAYLOAD;
  } while (offset < data.length);
  return out.map((payload, index) => encodeChunk({ id, index, count: out.length, payload }));
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export type Reply =
  | { kind: 'DONE'; id: number; bytes: number; sha256: string }
  | { kind: 'MISSING'; id: number; indices: number[] }
  | { kind: 'ERROR'; id: number | undefined; reason: string }
  | { kind: 'BUSY'; id: number };

export const doneReply = (id: number, data: Buffer) => ['DONE', id, data.length, sha256(data)].join(' ');

export function missingReply(id: number, missing: number[], count: number): string {
  const runs: string[] = [];
  let start = -1;
  missing.forEach((i, k) => {
    if (start < 0) start = i;
    if (missing[k + 1] !== i + 1) {
      runs.push(start === i ? String(i) : `${start}-${i}`);
      start = -1;
    }
  });
  const starts = runs.map((r) => Number(r.split('-')[0]));
  // Drop runs from the end, folding them into one that reaches the last index, until it fits.
  for (let keep = runs.length; keep >= 1; keep--) {
    const list = keep === runs.length ? runs : [...runs.slice(0, keep - 1), `${starts[keep - 1]}-${count - 1}`];
    const text = `MISSING ${id} ${list.join(',')}`;
    if (Buffer.byteLength(text) <= MAX_REPLY) return text;
  }
  return `MISSING ${id} ${starts[0]}-${count - 1}`;
}

export function parseList(text: string): number[] | undefined {
  const out: number[] = [];
  for (const item of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > MAX_CHUNKS) return undefined;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

export function parseReply(datagram: Buffer): Reply | undefined {
  const text = datagram.toString('latin1');
  let m: RegExpExecArray | null;
  if ((m = /^DONE (\d+) (\d+) ([0-9a-f]{64})$/.exec(text))) return { kind: 'DONE', id: Number(m[1]), bytes: Number(m[2]), sha256: m[3]! };
  if ((m = /^MISSING (\d+) (\S+)$/.exec(text))) {
    const indices = parseList(m[2]!);
    return indices ? { kind: 'MISSING', id: Number(m[1]), indices } : undefined;
  }
  if ((m = /^ERROR (\d+|-) (.*)$/.exec(text))) return { kind: 'ERROR', id: m[1] === '-' ? undefined : Number(m[1]), reason: m[2]! };
  if ((m = /^BUSY (\d+)$/.exec(text))) return { kind: 'BUSY', id: Number(m[1]) };
  return undefined;
}
