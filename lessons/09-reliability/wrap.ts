// Demo · lesson 09: block numbers have 16 bits, and Node says so loudly.
//
// Run:  node --import tsx lessons/09-reliability/wrap.ts
//
// It prints:
//   writeUInt16BE(65536): RangeError [ERR_OUT_OF_RANGE]: The value of
//     "value" is out of range. It must be >= 0 and <= 65535. Received 65536
//   block 65,535 goes out as 65535, block 65,536 as 0, block 65,537 as 1
//   ACK 0, after sending block 65,540, means block 65,536

const packet = Buffer.alloc(4);

// #region wrap
// 1. Block 65,536 does not fit in two bytes: no silent wrap, an exception.
try {
  packet.writeUInt16BE(65_536, 2);
} catch (err) {
  console.log(`writeUInt16BE(65536): ${err}`);
}

// 2. Count blocks in a plain number; write only its low 16 bits.
const wire = (block: number) => block & 0xffff;
console.log(`block 65,535 goes out as ${wire(65_535)}, ` +
  `block 65,536 as ${wire(65_536)}, block 65,537 as ${wire(65_537)}`);

// 3. Back from the wire: an ACK names the latest block sent with that
//    number, so subtract its distance, modulo 65,536, from the last sent.
const named = (sent: number, ack: number) => sent - ((sent - ack) & 0xffff);
const block = named(65_540, 0).toLocaleString('en-US');
console.log(`ACK 0, after sending block 65,540, means block ${block}`);
// #endregion wrap
