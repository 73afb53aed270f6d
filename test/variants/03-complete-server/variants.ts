// Lab 03's known answers: bugs learners write, each of which a check must catch, and correct
// servers written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

const DECODE = '    text = decoder.decode(data);';
const RESPOND = "  return Buffer.from(`Response: ${text.toUpperCase()}`, 'utf8');";
const INVALID = "    return Buffer.from('Error: Invalid encoding', 'utf8');";
const PEER = 'const peer = `${rinfo.address}:${rinfo.port}`;';
const ARRIVAL = '  console.log(`Received ${msg.length} bytes from ${peer}`);';
const PROCESS = '  const reply = processMessage(msg);';
const SEND = `  socket.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(\`Could not send to \${peer}: \${err.message}\`);
    else console.log(\`Sent \${reply.length} bytes to \${peer}\`);
  });`;
const SENT_LOG = '    else console.log(`Sent ${reply.length} bytes to ${peer}`);';
const SHUTDOWN = `process.once('SIGINT', () => {
  console.log('Shutting down server...');
  socket.close();
});`;

const HELLO = 'replies "Response: HELLO" to "hello"';
const MANY = 'answers many clients at once, each at its own address and port';
const UPPER = 'upper-cases beyond ASCII: "straße café ŉ" becomes "STRASSE CAFÉ ʼN"';
const EXACT = 'keeps everything else byte for byte: spaces and tabs at both ends, "\\r\\n", NUL';
const BOM = 'keeps a leading byte-order mark (ef bb bf), as Python does';

export const smoke = [HELLO];
const ERROR = 'answers "Error: Invalid encoding" to bytes that are not UTF-8, and keeps serving';
const FFFD = 'treats a real "�" (U+FFFD) in valid UTF-8 as text';
const EMPTY = 'replies "Response: " to an empty datagram';
const ONCE = 'sends exactly one reply per datagram, valid or not';
const EXPORT = 'exports processMessage(data) from process-message.ts, returning the reply as a Buffer';
const HOST = 'binds the address given by --host';
const LOG_IN = "logs each datagram it receives, naming the sender's address and port";
const LOG_OUT = "logs each reply it sends, naming the peer's address and port";
const RANDOM = 'answers seeded random bytes, valid UTF-8 or not, and keeps serving';
const TOO_LARGE = 'logs the EMSGSIZE when a reply is too large to send, and keeps serving';
const BURST = 'survives a burst of 1,000 datagrams and answers afterwards';
const SIGINT = 'shuts down on Ctrl+C (SIGINT): a message, then exit code 0 within 1 s';
const READY = 'prints "UDP server listening on HOST:PORT" with the port it really bound';

export default [
  {
    name: 'to-string',
    bug: "decodes with toString('utf8'), which never throws, so invalid bytes get \"Response: �…\"",
    fails: [ERROR, RANDOM],
    edit: { 'process-message.ts': [[DECODE, "    text = data.toString('utf8');"]] },
  },
  {
    name: 'looks-for-fffd',
    bug: 'decodes with toString and calls any "�" in the result an encoding error',
    fails: [FFFD],
    edit: { 'process-message.ts': [[DECODE, "    text = data.toString('utf8');\n    if (text.includes('\\uFFFD')) throw new TypeError('invalid');"]] },
  },
  {
    name: 'rethrows',
    bug: 'lets the decoding error escape processMessage, which ends the server',
    fails: [ERROR],
    edit: { 'process-message.ts': [[INVALID, "    throw new Error('Invalid encoding');"]] },
  },
  {
    name: 'error-text',
    bug: 'answers "Error: invalid encoding" (lower case)',
    fails: [ERROR],
    edit: { 'process-message.ts': [[INVALID, "    return Buffer.from('Error: invalid encoding', 'utf8');"]] },
  },
  {
    name: 'ascii-upper',
    bug: "upper-cases ASCII letters only, like Python's bytes.upper()",
    fails: [UPPER],
    edit: { 'process-message.ts': [[RESPOND, "  return Buffer.from(`Response: ${text.replace(/[a-z]/g, (c) => c.toUpperCase())}`, 'utf8');"]] },
  },
  {
    name: 'request-length',
    bug: 'sizes the reply from the request, assuming upper-casing keeps the length',
    fails: [UPPER],
    edit: { 'process-message.ts': [[RESPOND, "  const reply = Buffer.alloc(10 + text.length);\n  reply.write(`Response: ${text.toUpperCase()}`, 'utf8');\n  return reply;"]] },
  },
  {
    name: 'request-bytes',
    bug: "sizes the reply from the request's bytes, assuming upper-casing keeps the byte length",
    fails: [UPPER],
    edit: { 'process-message.ts': [[RESPOND, "  const reply = Buffer.alloc(10 + data.length);\n  reply.write(`Response: ${text.toUpperCase()}`, 'utf8');\n  return reply;"]] },
  },
  {
    name: 'trim',
    bug: 'trims the text before upper-casing it',
    fails: [EXACT],
    edit: { 'process-message.ts': [[RESPOND, "  return Buffer.from(`Response: ${text.trim().toUpperCase()}`, 'utf8');"]] },
  },
  {
    name: 'drops-bom',
    bug: 'decodes with a fatal TextDecoder without ignoreBOM, which drops a leading byte-order mark',
    fails: [BOM],
    edit: { 'process-message.ts': [["const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });", "const decoder = new TextDecoder('utf-8', { fatal: true });"]] },
  },
  {
    name: 'ignores-port',
    bug: 'ignores --port and always binds the document\'s port, 8080',
    fails: [READY, HELLO],
    edit: { 'server.ts': [['socket.bind(PORT, HOST);', 'socket.bind(8080, HOST);']] },
  },
  {
    name: 'newline',
    bug: 'ends the reply with a newline',
    fails: [HELLO],
    edit: { 'process-message.ts': [[RESPOND, "  return Buffer.from(`Response: ${text.toUpperCase()}\\n`, 'utf8');"]] },
  },
  {
    name: 'returns-string',
    bug: 'returns the reply as a string, not a Buffer',
    fails: [EXPORT],
    edit: { 'process-message.ts': [[RESPOND, '  return `Response: ${text.toUpperCase()}` as unknown as Buffer;']] },
  },
  {
    name: 'skips-empty',
    bug: 'ignores empty datagrams',
    fails: [EMPTY],
    edit: { 'server.ts': [[ARRIVAL, `  if (msg.length === 0) return;\n${ARRIVAL}`]] },
  },
  {
    name: 'double-error-reply',
    bug: 'sends an error reply at once and then the normal reply as well',
    fails: [ONCE],
    edit: { 'server.ts': [[PROCESS, `${PROCESS}\n  if (reply.toString('utf8').startsWith('Error')) socket.send(reply, rinfo.port, rinfo.address, () => {});`]] },
  },
  {
    name: 'last-client',
    bug: 'remembers "the client" in a shared variable and replies a moment later, to whoever wrote last',
    fails: [MANY],
    edit: {
      'server.ts': [
        [PROCESS, `${PROCESS}\n  last = rinfo;`],
        [SEND, SEND.replace('socket.send(reply, rinfo.port, rinfo.address,', 'setTimeout(() => socket.send(reply, last!.port, last!.address,').replace(/\}\);$/, '}), 20);')],
        ["socket.on('message', (msg, rinfo) => {", "let last: dgram.RemoteInfo | undefined;\nsocket.on('message', (msg, rinfo) => {"],
      ],
    },
  },
  {
    name: 'no-send-callback',
    bug: 'sends without a callback and logs "Sent" regardless, so EMSGSIZE vanishes',
    fails: [TOO_LARGE],
    edit: { 'server.ts': [[SEND, '  socket.send(reply, rinfo.port, rinfo.address);\n  console.log(`Sent ${reply.length} bytes to ${peer}`);']] },
  },
  {
    name: 'closes-on-send-error',
    bug: 'closes the socket when a send fails',
    fails: [TOO_LARGE],
    edit: { 'server.ts': [[SENT_LOG, `${SENT_LOG}\n    if (err) socket.close();`]] },
  },
  {
    name: 'no-arrival-log',
    bug: 'logs the replies but not the datagrams that arrive',
    fails: [LOG_IN],
    edit: { 'server.ts': [[ARRIVAL, '']] },
  },
  {
    name: 'no-reply-log',
    bug: 'logs the datagrams that arrive but not the replies',
    fails: [LOG_OUT],
    edit: { 'server.ts': [[SENT_LOG, '']] },
  },
  {
    name: 'address-only',
    bug: "logs the peer's address without its port",
    fails: [LOG_IN, LOG_OUT],
    edit: { 'server.ts': [[PEER, 'const peer = rinfo.address;']] },
  },
  {
    name: 'no-sigint-handler',
    bug: 'does not handle SIGINT, so Ctrl+C kills it without a word',
    fails: [SIGINT],
    edit: { 'server.ts': [[SHUTDOWN, '']] },
  },
  {
    name: 'sigint-keeps-socket',
    bug: 'prints the shutdown message but never closes the socket, so it keeps running',
    fails: [SIGINT],
    edit: { 'server.ts': [['  socket.close();\n});\n\nsocket.bind', '});\n\nsocket.bind']] },
  },
  {
    name: 'sigint-exit-130',
    bug: 'exits with code 130 on Ctrl+C',
    fails: [SIGINT],
    edit: { 'server.ts': [['  socket.close();\n});\n\nsocket.bind', '  process.exit(130);\n});\n\nsocket.bind']] },
  },
  {
    name: 'ignores-host',
    bug: 'always binds 127.0.0.1, whatever --host says',
    fails: [HOST],
    edit: { 'server.ts': [['socket.bind(PORT, HOST);', "socket.bind(PORT, '127.0.0.1');"]] },
  },
  {
    name: 'ready-line-asked-port',
    bug: 'prints the port it was asked for (0), not the one it got',
    fails: [READY],
    edit: { 'server.ts': [['console.log(`UDP server listening on ${address}:${port}`);', 'console.log(`UDP server listening on ${HOST}:${PORT}`);']] },
  },
  {
    name: 'stops-after-100',
    bug: 'stops answering after 100 datagrams',
    fails: [BURST],
    edit: { 'server.ts': [["socket.on('message', (msg, rinfo) => {", "let served = 0;\nsocket.on('message', (msg, rinfo) => {\n  if (++served > 100) return;"]] },
  },
  {
    name: 'is-utf8',
    correct: 'checks the bytes with buffer.isUtf8 and builds the reply from Buffers',
    files: { 'process-message.ts': 'process-message.ts' },
  },
  {
    name: 'abort-signal',
    correct: "reads datagrams with for await, shuts down through an AbortSignal, logs in the Python document's format",
    files: { 'server.ts': 'abort-signal.ts', 'process-message.ts': 'process-message.ts' },
  },
] satisfies VariantSpec[];
