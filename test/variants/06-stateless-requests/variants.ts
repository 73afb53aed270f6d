// Lab 06's known answers: bugs learners write, each of which a check must catch, and correct
// servers written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

const TIME_RUN = "['TIME', { argument: false, run: () => new Date().toISOString() }],";
const DECODE = '    text = decoder.decode(bytes);';
const DECODER = "const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });";
const ARGUMENT_RULE = '  if (command === undefined || command.argument !== (space !== -1)) {';
const ID = 'const ID = /^#[A-Za-z0-9_-]{1,16} /;';
const HANDLE = 'export function handleRequest(data: Buffer): Buffer {';
const REPLY = '  const reply = handleRequest(msg);';
const PEER = '  const peer = `${rinfo.address}:${rinfo.port}`;';
const SEND = '  socket.send(reply, rinfo.port, rinfo.address, (err) => {';
const SEND_BLOCK = `${SEND}
    if (err) console.error(\`Could not answer \${peer}: \${err.message}\`);
    else console.log(\`\${peer}: \${msg.length} B in, \${reply.length} B out\`);
  });`;
// The client and the request id, as a server that remembers requests would key them.
const KEY = "  const id = /^#\\S+ /.exec(msg.toString('latin1', 0, 18))?.[0];\n  const key = id === undefined ? undefined : `${rinfo.address}:${rinfo.port} ${id}`;";
const MESSAGE = "socket.on('message', (msg, rinfo) => {";

const READY = 'prints "UDP server listening on HOST:PORT" with the port it really bound';
const HELLO = 'answers "ECHO hello" with "hello"';
const TIME = 'answers TIME with the current time in UTC: 24 bytes such as "2026-12-02T05:30:00.123Z"';
const ECHOES = 'echoes every byte after "ECHO ": spaces, tabs, \\r\\n, NUL, UTF-8, or nothing at all';
const UNKNOWN = 'answers "Unknown command" to anything else: "time", "TIME ", "TIME\\n", "ECHO", "ECHOX", "toString"…';
const EMPTY = 'answers an empty datagram with "Unknown command"';
const LARGE = 'echoes a 65,507-byte datagram whole: 65,502 bytes back';
const INVALID = 'answers "Error: Invalid encoding" to bytes that are not UTF-8, and keeps serving';
const IDS = 'puts a request id "#id " back in front of its reply, an error\'s included';
const MALFORMED = 'reads a malformed id (17 characters, empty, a ".", no space) as no id: "Unknown command"';
const ONCE = 'sends exactly one reply per request, unknown commands and errors included';
const INTERLEAVED = 'answers interleaved clients, each at its own address and port';
const RETRY = 'answers a retried request again, with a fresh answer';
const RANDOM = 'answers seeded random requests and random bytes as the protocol says';
const MEMORY = 'keeps its memory flat over 1,000 requests of 16 KB, each from a port of its own';

export const smoke = [HELLO];

export default [
  {
    name: 'local-time-as-utc',
    bug: 'shifts the time by getTimezoneOffset(), so it writes the local time with a Z as if it were UTC',
    fails: [TIME],
    edit: { 'handle-request.ts': [[TIME_RUN, "['TIME', { argument: false, run: () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString() }],"]] },
  },
  {
    name: 'time-once',
    bug: 'works the time out once, when the command table is built, and answers that ever after',
    fails: [TIME],
    edit: { 'handle-request.ts': [[TIME_RUN, "['TIME', { argument: false, run: () => STARTED }],"], [DECODER, `${DECODER}\nconst STARTED = new Date().toISOString();`]] },
  },
  {
    name: 'trims',
    bug: 'trims the request, so "TIME\\n" is TIME and an echo loses its spaces',
    fails: [ECHOES, UNKNOWN],
    edit: { 'handle-request.ts': [[DECODE, '    text = decoder.decode(bytes).trim();']] },
  },
  {
    name: 'first-word',
    bug: 'looks at the first word only, so "TIME now" is TIME and "ECHO" alone echoes nothing',
    fails: [UNKNOWN],
    edit: { 'handle-request.ts': [[ARGUMENT_RULE, '  if (command === undefined) {']] },
  },
  {
    name: 'plain-object',
    bug: 'keeps the commands in a plain object, where "toString" and "__proto__" are found too',
    fails: [UNKNOWN],
    files: { 'handle-request.ts': 'plain-object.ts' },
  },
  {
    name: 'lossy-decode',
    bug: "decodes with toString('utf8'), which never throws, so invalid bytes are echoed as \"�\"",
    fails: [INVALID, RANDOM],
    edit: { 'handle-request.ts': [[DECODE, "    text = bytes.toString('utf8');"]] },
  },
  {
    name: 'drops-bom',
    bug: 'decodes without ignoreBOM, so a leading byte-order mark vanishes and "\\uFEFFTIME" is TIME',
    fails: [UNKNOWN],
    edit: { 'handle-request.ts': [[DECODER, "const decoder = new TextDecoder('utf-8', { fatal: true });"]] },
  },
  {
    name: 'error-loses-id',
    bug: 'decodes the whole datagram before looking for the id, so an error reply has no id',
    fails: [IDS],
    edit: { 'handle-request.ts': [[HANDLE, `${HANDLE}\n  if (answer(data) === INVALID) return Buffer.from(INVALID, 'utf8');`]] },
  },
  {
    name: 'empty-id',
    bug: 'accepts an empty id, so "# TIME" is answered "# " and the time',
    fails: [MALFORMED],
    edit: { 'handle-request.ts': [[ID, 'const ID = /^#[A-Za-z0-9_-]{0,16} /;']] },
  },
  {
    name: 'cuts-at-1024',
    bug: "keeps Python's recvfrom(1024): only the first 1,024 bytes of a datagram are read",
    fails: [LARGE],
    edit: { 'server.ts': [[REPLY, '  const reply = handleRequest(msg.subarray(0, 1024));']] },
  },
  {
    name: 'skips-empty',
    bug: 'ignores empty datagrams',
    fails: [EMPTY],
    edit: { 'server.ts': [[REPLY, `  if (msg.length === 0) return;\n${REPLY}`]] },
  },
  {
    name: 'double-error-reply',
    bug: 'sends an error reply at once, and then the reply as usual',
    fails: [ONCE],
    edit: { 'server.ts': [[REPLY, `${REPLY}\n  if (reply.includes('Error')) socket.send(reply, rinfo.port, rinfo.address);`]] },
  },
  {
    name: 'last-client',
    bug: 'remembers "the client" in a shared variable and replies a moment later, to whoever wrote last',
    fails: [INTERLEAVED],
    edit: {
      'server.ts': [
        [MESSAGE, `let last: dgram.RemoteInfo | undefined;\n${MESSAGE}\n  last = rinfo;`],
        [SEND_BLOCK, SEND_BLOCK.replace('socket.send(reply, rinfo.port, rinfo.address,', 'setTimeout(() => socket.send(reply, last!.port, last!.address,').replace(/\}\);$/, '}), 20);')],
      ],
    },
  },
  {
    name: 'keeps-requests',
    bug: "keeps each client's last request in a Map, for no reply's sake, and never forgets one",
    fails: [MEMORY],
    edit: { 'server.ts': [[MESSAGE, `const lastRequest = new Map<string, Buffer>();\n${MESSAGE}`], [PEER, `${PEER}\n  lastRequest.set(peer, msg);`]] },
  },
  {
    name: 'drops-retries',
    bug: 'drops a request whose id it has seen from that client, taking a retry for a duplicate',
    fails: [RETRY],
    edit: { 'server.ts': [[MESSAGE, `const seen = new Set<string>();\n${MESSAGE}\n${KEY}\n  if (key !== undefined && seen.has(key)) return;\n  if (key !== undefined) seen.add(key);`]] },
  },
  {
    name: 'ready-line-asked-port',
    bug: 'prints the port it was asked for (0), not the one it got',
    fails: [READY],
    edit: { 'server.ts': [['  console.log(`UDP server listening on ${address}:${port}`);', '  console.log(`UDP server listening on ${address}:${PORT}`);']] },
  },
  {
    name: 'if-chain',
    correct: "the document's chain of ifs, buffer.isUtf8, and the id cut off the bytes by hand",
    files: { 'handle-request.ts': 'if-chain.ts' },
  },
  {
    name: 'one-file',
    correct: 'one file: a for-await loop, a null-prototype object as the table, a regular expression to split the command',
    files: { 'server.ts': 'one-file.ts' },
  },
] satisfies VariantSpec[];
