// Lab 05's known answers: bugs learners write, each of which a check must catch, and correct
// answers written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

// reassembler.ts
const KEY = '    const key = `${from.address}|${from.port}|${id}`;';
const DONE_LOOKUP = `    const done = this.done.get(key);
    if (done && done.until > this.now()) return reply(done.text);
    if (done) this.done.delete(key);
`;
const BUSY = `      if (this.transfers.size >= this.limits.maxTransfers) {
        return reply(\`BUSY \${id}\`);
      }
`;
const COMPLETE = '    if (transfer.chunks.size < count) return [];';
const JOIN = '    for (let i = 0; i < count; i++) parts.push(transfer.chunks.get(i)!);';
const CONCAT = '    const data = Buffer.concat(parts);';
const MISSING_SENT = '        t.missingSent = true;\n';
const REMEMBER = '    this.done.set(key, { text, until: this.now() + this.limits.doneMemoryMs });';
// chunks.ts
const COUNT_CHECKS = `  if (count === 0) return no('count 0: even empty data is one chunk');
  if (count > MAX_CHUNKS) return no(\`count \${count} is over \${MAX_CHUNKS}\`);
`;
const LENGTH_CHECK = `  if (datagram.length < HEADER_BYTES) {
    const reason = \`\${datagram.length} B is shorter than the 12-byte header\`;
    return { ok: false, id: undefined, reason };
  }
`;
const CUT = '  if (full.length <= MAX_REPLY) return full;';
const COUNT = '  const count = Math.max(1, Math.ceil(data.length / MAX_PAYLOAD));';
// server.ts
const HANDLER = `socket.on('message', (msg, rinfo) => {
  // Lesson 04: nothing a stranger sends may end the server.
  try {`;
const CATCH = `  } catch (err) {
    console.error(\`Could not handle \${msg.length} B from \` +
      \`\${rinfo.address}:\${rinfo.port}: \${err}\`);
  }`;
// send-large.ts
const PAUSE = '      if (i > 0) await sleep(PAUSE_MS);';
const FILTER = `    if (from !== address || rinfo.port !== port) return; // a stranger's
    const reply = parseReply(msg);
    if (reply?.id !== id) return; // another transfer's, or not a reply`;
const VERIFY = '          if (reply.bytes === bytes.length && reply.sha256 === hash) {';
const NO_REPLY = '      if (!reply) continue; // nothing came back: send `pending` again';
const MISSING_CASE = '          pending = reply.indices.filter((i) => i < chunks.length);';
const CLOSE = '  } finally {\n    socket.close();\n  }';
const ROUNDS = '    for (let round = 1; round <= maxRounds; round++) {';
const BYTES = "  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;";

// Check names.
const S = {
  sameId: 'keeps apart two senders on one address that use the same transfer id',
  twoAddresses: 'keeps apart the same port on two addresses (127.0.0.1 and 127.0.0.2)',
  hole: 'never lets a duplicate stand in for a missing chunk: MISSING names the hole',
  counts: 'answers a count of 0, of 1,025 or of 2³²−1 with ERROR, and still serves',
  short: 'answers a datagram shorter than the 12-byte header with "ERROR -"',
  lateDuplicate: 'answers a late duplicate of a completed transfer with the same DONE',
  forgets: 'forgets a completed transfer after --done-memory ms',
  missingList: 'keeps MISSING within 1,200 B, naming every chunk still to come, once per quiet gap',
  busy: 'answers BUSY to a 65th transfer in progress, and takes new ones once one ends',
  order: 'reassembles chunks that arrive in any order (seeded shuffle)',
  utf8: 'keeps the bytes exact when a UTF-8 character is split between two chunks',
};
const C = {
  sizes: 'sends 0, 1, 1,199, 1,200, 1,201 and 65,537 bytes exactly',
  paces: 'paces its chunks, so that the receive buffer is not overrun',
  strangers: 'ignores replies from other ports and addresses, and about other transfers',
  mismatch: "rejects a DONE whose length or SHA-256 is not the data's",
  timeout: 'sends again what is not acknowledged when no reply comes within timeoutMs',
  selective: 'resends exactly the chunks that MISSING names',
  closes: 'closes its socket and timers once the DONE has come',
  givesUp: 'gives up after maxRounds rounds when the server never answers, and closes its socket',
  text: 'sends a string as UTF-8 bytes, characters split between chunks and all',
};

export const smoke = ['answers a one-chunk transfer with "DONE <id> <bytes> <sha256>"', 'sends 5 bytes and resolves once the DONE matches'];

export default [
  // ---- the server ----
  {
    name: 'key-by-id',
    bug: 'names a transfer by its id alone, so two senders with the same id are mixed',
    fails: [S.sameId, S.twoAddresses],
    edit: { 'reassembler.ts': [[KEY, '    const key = String(id);']] },
  },
  {
    name: 'counts-arrivals',
    bug: 'counts datagrams instead of distinct chunks, so a duplicate completes a transfer with a hole',
    fails: [S.hole],
    edit: {
      'reassembler.ts': [
        ['  missingSent: boolean;\n}', '  missingSent: boolean;\n  arrivals?: number;\n}'],
        [COMPLETE, '    transfer.arrivals = (transfer.arrivals ?? 0) + 1;\n    if (transfer.arrivals < count) return [];'],
        [JOIN, '    for (const i of [...transfer.chunks.keys()].sort((a, b) => a - b)) parts.push(transfer.chunks.get(i)!);'],
      ],
    },
  },
  {
    name: 'trusts-count',
    bug: 'checks the index against the count, but never the count itself (0, 1,025, 2³²−1)',
    fails: [S.counts],
    edit: { 'chunks.ts': [[COUNT_CHECKS, '']] },
  },
  {
    name: 'crash-on-short',
    bug: 'reads the header without checking the length, and nothing catches the RangeError: the server dies',
    fails: [S.short],
    edit: {
      'chunks.ts': [[LENGTH_CHECK, '']],
      'server.ts': [[HANDLER, "socket.on('message', (msg, rinfo) => {\n  {"], [CATCH, '  }']],
    },
  },
  {
    name: 'no-done-memory',
    bug: 'forgets a transfer the moment it completes, so a late duplicate gets no DONE',
    fails: [S.lateDuplicate],
    edit: { 'reassembler.ts': [[DONE_LOOKUP, '']] },
  },
  {
    name: 'never-forgets',
    bug: 'remembers completed transfers for ever, so memory grows with every transfer',
    fails: [S.forgets],
    edit: { 'reassembler.ts': [[REMEMBER, '    this.done.set(key, { text, until: Infinity });']] },
  },
  {
    name: 'missing-every-tick',
    bug: 'sends MISSING at every tick once a transfer is quiet, not once per quiet gap',
    fails: [S.missingList],
    edit: { 'reassembler.ts': [[MISSING_SENT, '']] },
  },
  {
    name: 'missing-uncapped',
    bug: 'lists every missing chunk, however long the reply gets',
    fails: [S.missingList],
    edit: { 'chunks.ts': [[CUT, '  return full;']] },
  },
  {
    name: 'no-busy',
    bug: 'starts as many transfers as strangers ask for',
    fails: [S.busy],
    edit: { 'reassembler.ts': [[BUSY, '']] },
  },
  {
    name: 'arrival-order',
    bug: 'joins the payloads in the order they arrived (a Map keeps insertion order)',
    fails: [S.order],
    edit: { 'reassembler.ts': [[JOIN, '    for (const payload of transfer.chunks.values()) parts.push(payload);']] },
  },
  {
    name: 'joins-text',
    bug: 'joins the payloads as text, which breaks a UTF-8 character split between chunks',
    fails: [S.utf8],
    edit: { 'reassembler.ts': [[CONCAT, "    const data = Buffer.from(parts.map((p) => p.toString('utf8')).join(''), 'utf8');"]] },
  },
  // ---- the client ----
  {
    name: 'burst',
    bug: 'sends every chunk at once, in batches with no pause between them',
    fails: [C.paces],
    edit: { 'send-large.ts': [[PAUSE, '']] },
  },
  {
    name: 'immediate-pacing',
    bug: 'pauses with setImmediate, which lets the event loop turn but no time pass',
    fails: [C.paces],
    edit: { 'send-large.ts': [[PAUSE, '      if (i > 0) await new Promise((resolve) => setImmediate(resolve));']] },
  },
  {
    name: 'floor-count',
    bug: 'counts chunks with Math.floor, losing the last, shorter chunk',
    fails: [C.sizes],
    edit: { 'chunks.ts': [[COUNT, '  const count = Math.max(1, Math.floor(data.length / MAX_PAYLOAD));']] },
  },
  {
    name: 'no-reply-filter',
    bug: 'takes any datagram that parses as the reply, from anyone, about any transfer',
    fails: [C.strangers],
    edit: { 'send-large.ts': [[FILTER, '    const reply = parseReply(msg);\n    if (!reply) return;']] },
  },
  {
    name: 'trusts-done',
    bug: "resolves on a DONE with the right length, without comparing its SHA-256",
    fails: [C.mismatch],
    edit: { 'send-large.ts': [[VERIFY, '          if (reply.bytes === bytes.length) {']] },
  },
  {
    name: 'no-resend-on-timeout',
    bug: 'gives up at the first round without a reply, instead of sending again',
    fails: [C.timeout, C.givesUp],
    edit: { 'send-large.ts': [[NO_REPLY, '      if (!reply) break;']] },
  },
  {
    name: 'resend-all',
    bug: 'sends every chunk again after a MISSING, not only those it names',
    fails: [C.selective],
    edit: { 'send-large.ts': [[MISSING_CASE, '          pending = chunks.map((_, index) => index);']] },
  },
  {
    name: 'leaks-socket',
    bug: 'never closes its socket',
    fails: [C.closes, C.givesUp],
    edit: { 'send-large.ts': [[CLOSE, '  } finally {\n  }']] },
  },
  {
    name: 'never-gives-up',
    bug: 'sends round after round for as long as no DONE comes',
    fails: [C.givesUp],
    edit: { 'send-large.ts': [[ROUNDS, '    for (let round = 1; ; round++) {']] },
  },
  {
    name: 'latin1-string',
    bug: "turns a string into bytes as latin1, which mangles every character past ÿ",
    fails: [C.text],
    edit: { 'send-large.ts': [[BYTES, "  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;"]] },
  },
  // ---- correct answers written differently ----
  {
    name: 'slots-and-states',
    correct: 'one Map of transfer states (open or done), slot arrays, a bitmap of what came, lazy expiry, DataView parsing, and an entry that iterates events.on',
    files: { 'chunks.ts': 'chunks.ts', 'reassembler.ts': 'reassembler.ts', 'server.ts': 'server.ts' },
  },
  {
    name: 'connected-state-machine',
    correct: 'a connected socket (the kernel filters strangers), a class fed by events, a timer chain for pacing and for timeouts',
    files: { 'send-large.ts': 'send-large.ts' },
  },
] satisfies VariantSpec[];
