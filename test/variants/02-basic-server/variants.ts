// Lab 02's known answers: bugs learners write, each of which a check must catch, and correct
// servers written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

const SEND = 'socket.send(reply, rinfo.port, rinfo.address, (err) => {';
const DECODE = "const text = msg.toString('utf8');";
const ENCODE = "const reply = Buffer.from(`Echo: ${text}`, 'utf8');";
const HANDLER = 'socket.on(\'message\', (msg, rinfo) => {';
const ECHO_HELLO = 'replies "Echo: hello" to "hello"';
const READY = 'prints "UDP server listening on HOST:PORT" with the port it really bound';
const EXACT = 'gives the text back byte for byte: spaces and tabs at both ends, "\\r\\n", NUL';
const BOM = 'keeps a leading byte-order mark (ef bb bf)';
const NOT_UTF8 = 'answers bytes that are not UTF-8 (ff fe), and goes on serving';

export const smoke = [ECHO_HELLO];

export default [
  {
    name: 'fixed-port',
    bug: 'replies to port 8080 instead of the port the datagram came from',
    fails: [ECHO_HELLO],
    edit: { 'server.ts': [[SEND, 'socket.send(reply, 8080, rinfo.address, (err) => {']] },
  },
  {
    name: 'reply-from-new-socket',
    bug: 'sends the reply from a new socket, so it comes from another port',
    fails: [ECHO_HELLO],
    edit: { 'server.ts': [[SEND, "dgram.createSocket('udp4').send(reply, rinfo.port, rinfo.address, (err) => {"]] },
  },
  {
    name: 'last-client',
    bug: 'remembers "the client" in a shared variable and replies a moment later, to whoever wrote last',
    fails: ['answers many clients at once, each at its own address and port'],
    files: { 'server.ts': 'last-client.ts' },
  },
  {
    name: 'double-reply',
    bug: 'sends the reply twice',
    fails: ['sends exactly one reply per datagram'],
    edit: { 'server.ts': [[ENCODE, `${ENCODE}\n  socket.send(reply, rinfo.port, rinfo.address);`]] },
  },
  {
    name: 'handler-per-listening',
    bug: "registers a second 'message' handler, so every datagram is answered twice",
    fails: ['sends exactly one reply per datagram'],
    edit: { 'server.ts': [['socket.bind(PORT, HOST);', "socket.on('listening', () => socket.on('message', (m, r) => socket.send(Buffer.concat([Buffer.from('Echo: '), m]), r.port, r.address)));\nsocket.bind(PORT, HOST);"]] },
  },
  {
    name: 'truncates-1024',
    bug: "keeps only the first 1024 bytes, like Python's recvfrom(1024)",
    fails: ['echoes an 8 KB datagram whole'],
    edit: { 'server.ts': [[DECODE, "const text = msg.subarray(0, 1024).toString('utf8');"]] },
  },
  {
    name: 'skips-empty',
    bug: 'ignores empty datagrams',
    fails: ['replies "Echo: " to an empty datagram'],
    edit: { 'server.ts': [[DECODE, `if (msg.length === 0) return;\n  ${DECODE}`]] },
  },
  {
    name: 'crashes-on-empty',
    bug: "throws in the 'message' handler on an empty datagram, which ends the server",
    fails: ['replies "Echo: " to an empty datagram'],
    edit: { 'server.ts': [[DECODE, `${DECODE}\n  if (text.length === 0) throw new Error('empty datagram');`]] },
  },
  {
    name: 'latin1',
    bug: 'decodes the datagram as latin1, damaging multi-byte characters',
    fails: ['keeps multi-byte UTF-8 intact'],
    edit: { 'server.ts': [[DECODE, "const text = msg.toString('latin1');"]] },
  },
  {
    name: 'ascii-reply',
    bug: 'encodes the reply as ASCII',
    fails: ['keeps multi-byte UTF-8 intact'],
    edit: { 'server.ts': [[ENCODE, "const reply = Buffer.from(`Echo: ${text}`, 'ascii');"]] },
  },
  {
    name: 'newline',
    bug: 'adds a newline to the reply',
    fails: [ECHO_HELLO],
    edit: { 'server.ts': [[ENCODE, "const reply = Buffer.from(`Echo: ${text}\\n`, 'utf8');"]] },
  },
  {
    name: 'trim',
    bug: 'trims the text before echoing it, losing spaces, tabs and the line ending',
    fails: [EXACT],
    edit: { 'server.ts': [[DECODE, "const text = msg.toString('utf8').trim();"]] },
  },
  {
    name: 'text-decoder',
    bug: 'decodes with new TextDecoder(), which drops a leading byte-order mark',
    fails: [BOM],
    edit: { 'server.ts': [[DECODE, 'const text = new TextDecoder().decode(msg);']] },
  },
  {
    name: 'fatal-decoder',
    bug: "decodes with new TextDecoder('utf-8', { fatal: true }), which throws on bytes that are not UTF-8 and ends the server",
    fails: [NOT_UTF8],
    edit: { 'server.ts': [[DECODE, "const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(msg);"]] },
  },
  {
    name: 'ignores-port',
    bug: 'ignores --port and always binds its own favourite port, 8080',
    fails: [READY, ECHO_HELLO],
    edit: { 'server.ts': [['socket.bind(PORT, HOST);', 'socket.bind(8080, HOST);']] },
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
    fails: ['still answers after 200 datagrams from one client'],
    edit: { 'server.ts': [[HANDLER, `let served = 0;\n${HANDLER}\n  if (++served > 100) return;`]] },
  },
  {
    name: 'closes-after-reply',
    bug: 'closes the socket after its first reply',
    fails: ['still answers after 200 datagrams from one client'],
    edit: { 'server.ts': [[SEND, `${SEND}\n    socket.close();`]] },
  },
  {
    name: 'bytes',
    correct: 'echoes the bytes without decoding them',
    edit: { 'server.ts': [[ENCODE, "const reply = Buffer.concat([Buffer.from('Echo: '), msg]);"]] },
  },
  {
    name: 'async-iterator',
    correct: "reads datagrams with for await over events.on(socket, 'message')",
    files: { 'server.ts': 'async-iterator.ts' },
  },
  {
    name: 'class-promises',
    correct: 'a class with a bind callback, a promisified send and an async handler',
    files: { 'server.ts': 'class-promises.ts' },
  },
] satisfies VariantSpec[];
