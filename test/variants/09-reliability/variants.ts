// Lab 09's known answers: bugs learners write in a TFTP server, each of which a check must catch,
// and correct servers written differently from the solution, which must pass every check. See
// tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

// transfer.ts
const LAST = '    this.last = Math.floor(options.data.length / options.blksize) + 1;';
const TID = '    if (from.address !== peer.address || from.port !== peer.port) {';
const CLIENT_ERROR = "      this.end(`the client sent ERROR ${reply.code} (${reply.message})`);";
const DUPLICATE = '    if (block <= this.acked) return;';
const WIRE = '      this.send(dataPacket(block & 0xffff, chunk), this.o.peer);';
const ARM = '    this.arm();\n  }\n\n  private sendOack(): void {';
const GIVE_UP = '    if (this.timeouts === this.o.retries) {';
const TIMER = '    this.timer = setTimeout(() => this.onTimeout(), this.o.timeoutMs);';
const CLOSE = '      this.o.socket.close();';
const START = '    if (this.o.oack) this.sendOack();\n    else this.sendWindow();';
const FIRST = '    for (let block = this.acked + 1; block <= to; block++) {';
// options.ts
const BLKSIZE = '      result.blksize = Math.min(n, MAX_BLKSIZE);';
// safe-path.ts
const INSIDE = "  const rel = path.relative(root, target);";
const REALPATH = '    real = await realpath(lexical);';
// server.ts
const NEGOTIATED_TIMEOUT = '    timeoutMs: agreed.timeoutMs ?? TIMEOUT_MS,';
const ANSWER = 'async function answer(msg: Buffer, rinfo: dgram.RemoteInfo) {';
const PEER = '    peer: { address: rinfo.address, port: rinfo.port },';
const READ = '  const data = await readFile(resolved.file).catch(() => undefined);';

const B512 = 'ends a 512-byte file with an empty DATA 2';
const B0 = 'sends an empty file as one empty DATA 1';
const CLOSES = "closes the transfer's socket once the last ACK has come";
const BLKSIZE_RANGE = 'blksize: never uses a size out of range (4, abc, 70000)';
const TIMEOUT_CHECK = 'timeout: answers timeout=1, then waits a second, not --timeout-ms, before sending again';
const OACK_LOST = 'retransmits the OACK when ACK 0 is lost, and sends no DATA before ACK 0';
const RESTART = 'windowsize=4: after an ACK for a block inside the window, goes on from the block after it';
const STALE = 'windowsize=4: ignores a late ACK from an earlier window, and resends nothing';
const WRAP = 'wraps block numbers from 65,535 to 0 (blksize 8, windowsize 64)';
const LOST_DATA = 'sends a DATA block again when it was lost';
const LOST_ACK = 'sends a DATA block again when its ACK was lost';
const LOST_LAST = 'sends the last block again when its ACK was lost';
const GIVES_UP = 'gives up after --retries 10 retransmissions, says so in its log, and closes the port';
const APPRENTICE = "does not resend on a duplicate ACK (no Sorcerer's Apprentice)";
const WRONG_TID = 'answers a packet from another port with ERROR 5, and the transfer goes on undisturbed';
const CLIENT_ERROR_CHECK = 'stops sending when the client sends an ERROR';
const TWENTY = 'serves twenty clients at once, each from a port of its own';
const ESCAPES = 'answers ERROR 2 for every path out of the root: "..", absolute, a symbolic link, a sibling folder';

const B511 = 'sends a 511-byte file as DATA 1, from a port of its own (its TID)';
const B513 = 'sends a 513-byte file as blocks of 512 and 1 bytes';

// Cheap, and early in the file: a variant that breaks only what it names passes both.
export const smoke = [B511, B513];

export default [
  // ---- blocks ----
  {
    name: 'ceil-blocks',
    bug: 'counts Math.ceil(size / blksize) blocks: no empty last block after a full one, no block at all for an empty file',
    fails: [B512, B0],
    edit: { 'transfer.ts': [[LAST, '    this.last = Math.ceil(options.data.length / options.blksize);']] },
  },
  {
    name: 'no-wrap',
    bug: 'writes the block count as it is: writeUInt16BE throws a RangeError at block 65,536 and the server dies',
    fails: [WRAP],
    edit: { 'transfer.ts': [[WIRE, '      this.send(dataPacket(block, chunk), this.o.peer);']] },
  },

  // ---- acknowledgements and timeouts ----

  {
    name: 'rewinds',
    bug: 'acts on every ACK, a late one from an earlier window too, and goes back to it',
    fails: [APPRENTICE, STALE],
    edit: { 'transfer.ts': [[DUPLICATE, '']] },
  },
  {
    name: 'no-timer',
    bug: 'never sets a retransmission timer: a lost packet stops the transfer for good',
    fails: [LOST_DATA, LOST_ACK, LOST_LAST, OACK_LOST, GIVES_UP],
    edit: { 'transfer.ts': [[TIMER, '']] },
  },
  {
    name: 'last-block-unarmed',
    bug: 'takes the transfer for done once the last block is sent, and sets no timer for it',
    fails: [LOST_LAST],
    edit: { 'transfer.ts': [[ARM, '    if (to < this.last) this.arm();\n    else clearTimeout(this.timer);\n  }\n\n  private sendOack(): void {']] },
  },
  {
    name: 'never-gives-up',
    bug: 'retransmits for ever to a client that is gone',
    fails: [GIVES_UP],
    edit: { 'transfer.ts': [[GIVE_UP, '    if (this.timeouts < 0) {']] },
  },

  {
    name: 'data-with-oack',
    bug: 'sends DATA 1 right after the OACK, without waiting for ACK 0',
    fails: [OACK_LOST],
    edit: { 'transfer.ts': [[START, '    if (this.o.oack) this.sendOack();\n    this.acked = 0;\n    this.sendWindow();']] },
  },
  {
    name: 'leaks-sockets',
    bug: "never closes a transfer's socket",
    fails: [CLOSES, CLIENT_ERROR_CHECK],
    edit: { 'transfer.ts': [[CLOSE, '']] },
  },
  // ---- windows ----

  {
    name: 'window-slides',
    bug: 'after an ACK inside the window, sends only blocks it has not sent yet, though the client dropped those after the gap',
    fails: [RESTART],
    edit: { 'transfer.ts': [[FIRST, '    for (let block = Math.max(this.acked, this.sent) + 1; block <= to; block++) {']] },
  },

  // ---- transfer IDs ----

  {
    name: 'tid-port-only',
    bug: 'compares the port of a packet with the client’s, not its address',
    fails: [WRONG_TID],
    edit: { 'transfer.ts': [[TID, '    if (from.port !== peer.port) {']] },
  },
  {
    name: 'ignores-client-error',
    bug: 'ignores an ERROR from the client, and keeps retransmitting',
    fails: [CLIENT_ERROR_CHECK],
    edit: { 'transfer.ts': [[CLIENT_ERROR, '      return;']] },
  },
  {
    name: 'shared-peer',
    bug: 'keeps "the client" in one object that every request overwrites, so all transfers go to the last one',
    fails: [TWENTY],
    edit: {
      'server.ts': [
        [ANSWER, `const client = { address: '', port: 0 };\n${ANSWER}`],
        [PEER, '    peer: Object.assign(client, { address: rinfo.address, port: rinfo.port }),'],
      ],
    },
  },

  // ---- options ----
  {
    name: 'blksize-uncapped',
    bug: 'accepts any blksize, 70,000 too: its DATA packets cannot be sent (EMSGSIZE)',
    fails: [BLKSIZE_RANGE],
    edit: { 'options.ts': [[BLKSIZE, '      result.blksize = n;']] },
  },


  {
    name: 'timeout-not-used',
    bug: 'acknowledges the timeout option, but keeps its own --timeout-ms',
    fails: [TIMEOUT_CHECK],
    edit: { 'server.ts': [[NEGOTIATED_TIMEOUT, '    timeoutMs: TIMEOUT_MS,']] },
  },



  // ---- the root ----
  {
    name: 'startswith-root',
    bug: 'checks the path with resolved.startsWith(root): a sibling folder such as files-private passes',
    fails: [ESCAPES],
    edit: { 'safe-path.ts': [[INSIDE, '  return target.startsWith(root);\n  const rel = path.relative(root, target);']] },
  },
  {
    name: 'no-realpath',
    bug: 'checks the name only, and follows symbolic links out of the root',
    fails: [ESCAPES],
    edit: { 'safe-path.ts': [[REALPATH, '    await realpath(lexical);\n    real = lexical;']] },
  },
  // ---- requests ----





  {
    name: 'reads-as-text',
    bug: "reads the file as UTF-8 text and turns it back into bytes, which damages every byte that is not valid UTF-8",
    fails: [B511, B513],
    edit: { 'server.ts': [[READ, "  const text = await readFile(resolved.file, 'utf8').catch(() => undefined);\n  const data = text === undefined ? undefined : Buffer.from(text);"]] },
  },
  // ---- written differently ----
  {
    name: 'async-loop',
    correct: 'a transfer written as one async loop that awaits each ACK with a timeout (events.once and an AbortSignal)',
    files: { 'transfer.ts': 'async-loop-transfer.ts' },
  },
  {
    name: 'one-file',
    correct: 'the whole server in one file: for await over the requests, a transfer as a closure, each block read when sent, errors from a new port as tftp-hpa sends them, duplicate RRQs ignored, ".." refused outright, windowsize capped at 64',
    files: { 'server.ts': 'one-file-server.ts' },
  },
] satisfies VariantSpec[];
