// Lab 09 · Reliability: the TFTP packets, byte by byte (RFC 1350, RFC 2347).
//
// Every packet starts with a 2-byte opcode; every number is an unsigned
// 16-bit integer, big-endian (network byte order); every string is ASCII
// followed by one zero byte (NUL).
//
//   RRQ    | 00 01 | filename | 00 | mode | 00 | opt1 | 00 | val1 | 00 | ...
//   WRQ    | 00 02 | filename | 00 | mode | 00 | ...                  (refused)
//   DATA   | 00 03 | block (2) | 0 to blksize bytes of the file |
//   ACK    | 00 04 | block (2) |
//   ERROR  | 00 05 | code (2) | message | 00 |
//   OACK   | 00 06 | opt1 | 00 | val1 | 00 | ...           (RFC 2347)
//
// The mode is "netascii", "octet" or "mail", in any mix of upper and lower
// case; this server serves "octet" only. Option names and values are case-
// insensitive ASCII; a value is a decimal number for every option here.
//
// Error codes: 0 not defined (see the message), 1 file not found, 2 access
// violation, 3 disk full, 4 illegal TFTP operation, 5 unknown transfer ID,
// 6 file already exists, 7 no such user, 8 option negotiation refused.
//
// Example: the request for "a.txt" with blksize 1024 is these 27 bytes:
//   00 01 61 2e 74 78 74 00 6f 63 74 65 74 00          ..a.txt.octet.
//   62 6c 6b 73 69 7a 65 00 31 30 32 34 00                blksize.1024.

export const OP = {
  RRQ: 1,
  WRQ: 2,
  DATA: 3,
  ACK: 4,
  ERROR: 5,
  OACK: 6,
} as const;

export const ERR = {
  NOT_DEFINED: 0,
  NOT_FOUND: 1,
  ACCESS: 2,
  ILLEGAL: 4,
  UNKNOWN_TID: 5,
} as const;

export interface Request {
  opcode: number;
  filename: string;
  /** As sent; compare it case-insensitively. */
  mode: string;
  /** Option names in lower case, in the order the client sent them. */
  options: Map<string, string>;
}

/**
 * Reads an RRQ or a WRQ. Returns a sentence saying what is wrong when the
 * packet is not a well-formed request, for the ERROR 4 it deserves.
 */
export function parseRequest(msg: Buffer): Request | string {
  if (msg.length < 2) return `a packet of ${msg.length} byte(s) has no opcode`;
  const opcode = msg.readUInt16BE(0);
  if (opcode !== OP.RRQ && opcode !== OP.WRQ) {
    return `opcode ${opcode} is not a request (RRQ 1 or WRQ 2)`;
  }
  // Each field ends with a zero byte, the last one included: split there.
  // A packet that does not end with 0 has an unterminated field.
  if (msg.at(-1) !== 0) return 'the last field does not end with a zero byte';
  const fields: string[] = [];
  let start = 2;
  for (let i = 2; i < msg.length; i++) {
    if (msg[i] === 0) {
      fields.push(msg.toString('utf8', start, i));
      start = i + 1;
    }
  }
  const [filename, mode, ...rest] = fields;
  if (filename === undefined || mode === undefined) {
    return 'a request needs a filename and a mode, each ending with 0';
  }
  if (rest.length % 2 !== 0) return `option "${rest.at(-1)}" has no value`;
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    options.set(rest[i]!.toLowerCase(), rest[i + 1]!);
  }
  return { opcode, filename, mode, options };
}

/** DATA: `block` is the number on the wire, 0 to 65,535. */
export function dataPacket(block: number, data: Buffer): Buffer {
  const packet = Buffer.alloc(4 + data.length);
  packet.writeUInt16BE(OP.DATA, 0);
  packet.writeUInt16BE(block, 2);
  data.copy(packet, 4);
  return packet;
}

export function errorPacket(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const packet = Buffer.alloc(4 + text.length + 1);
  packet.writeUInt16BE(OP.ERROR, 0);
  packet.writeUInt16BE(code, 2);
  text.copy(packet, 4);
  return packet; // Buffer.alloc zero-filled the final byte: the NUL.
}

/** OACK: the options the server accepted, with the values it chose. */
export function oackPacket(options: ReadonlyMap<string, string>): Buffer {
  const fields = [...options].flatMap(([name, value]) => [name, value]);
  const strings = fields.map((f) => Buffer.from(`${f}\0`, 'ascii'));
  return Buffer.concat([Buffer.from([0, OP.OACK]), ...strings]);
}

/** What arrived on a transfer's socket, as far as the sender cares. */
export type Reply =
  | { kind: 'ack'; block: number }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'other'; opcode: number | undefined };

export function parseReply(msg: Buffer): Reply {
  const opcode = msg.length >= 2 ? msg.readUInt16BE(0) : undefined;
  if (opcode === OP.ACK && msg.length >= 4) {
    return { kind: 'ack', block: msg.readUInt16BE(2) };
  }
  if (opcode === OP.ERROR && msg.length >= 4) {
    const end = msg.indexOf(0, 4);
    const message = msg.toString('utf8', 4, end < 0 ? msg.length : end);
    return { kind: 'error', code: msg.readUInt16BE(2), message };
  }
  return { kind: 'other', opcode };
}
