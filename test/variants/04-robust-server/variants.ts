// Lab 04's known answers: bugs learners write, each of which a check must catch, and correct
// servers written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

// udp-server.ts
const CREATE = '  const socket = dgram.createSocket({ type });';
const PEER = '    const peer = `${rinfo.address}:${rinfo.port}`;';
const TRY = `    let reply: Buffer;
    try {
      reply = await processMessage(msg);
    } catch (err) {
      log.error(\`Error processing message from \${peer}: \${describe(err)}\`);
      reply = ERROR_REPLY;
    }`;
const AWAIT = '      reply = await processMessage(msg);';
const ERROR_LOG = '      log.error(`Error processing message from ${peer}: ${describe(err)}`);';
const ERROR_TEXT = "export const ERROR_REPLY = Buffer.from('Error processing request', 'utf8');";
const SEND_ERROR_LOG = '      if (err) log.error(`Could not send to ${peer}: ${err.message}`);';
const SEND = `    socket.send(reply, rinfo.port, rinfo.address, (err) => {
${SEND_ERROR_LOG}
      else log.info(\`Sent \${reply.length} bytes to \${peer}\`);
    });`;
const BIND_LISTENER = "    socket.once('error', cannotStart);";
const RUNTIME_LISTENER = "      socket.on('error', (err) => log.error(`Socket error: ${err.message}`));";
const READY_LOG = '      log.info(`UDP server listening on ${address}:${bound}`);';
const ANSWER = 'async function answer(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {';
// server.ts
const START = '  const options = { host: HOST, port: PORT, processMessage, log };';
const IN_USE_LOG = `    log.error(\`Port \${PORT} on \${HOST} is already in use: stop the other \` +
      'server, or choose another port with --port.');`;
const CATCH = `  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
${IN_USE_LOG}
  } else {
    log.error(\`Could not start the server on \${HOST}:\${PORT}: \${e.message}\`);
  }
  process.exitCode = 1;`;
const SIGNALS = "for (const signal of ['SIGINT', 'SIGTERM'] as const) {";
const PORT_CHECK = 'if (!/^\\d+$/.test(values.port) || PORT > 65535) {';
// logger.ts
const WRITE = '    stream.write(`${new Date().toISOString()} ${level.padEnd(5)} ${text}\\n`);';
const ERROR_STREAM = "    error: (message) => write(err, 'ERROR', message),";

const READY = 'prints "UDP server listening on HOST:PORT" with the port it really bound';
const HELLO = 'replies "Response: HELLO" to "hello", with the processor from lab 03';
const LOG_FORMAT = 'writes every log line with a timestamp and a level, errors included';
const BAD_PORT = 'refuses a --port that is not a number from 0 to 65535: one line on stderr, exit code 2';
const EMPTY = 'replies "Response: " to an empty datagram';
const EXACT = 'keeps the text byte for byte: spaces and tabs at both ends, "\\r\\n", NUL';
const BOM = 'keeps a leading byte-order mark (ef bb bf), as Python does';
const RANDOM = 'answers seeded random bytes, valid UTF-8 or not, and keeps serving';
const IN_USE = 'stops with one line on stderr naming the port, and exit code 1, when the port is in use';
const REUSE = 'does not set reuseAddr: a port another socket holds is refused, not shared';
const THROWS = 'answers "Error processing request" when processing throws, and keeps serving';
const REJECTS = 'answers "Error processing request" when processing rejects, and keeps serving';
const FAILURE_LOG = "logs a failed request with its error and the peer's address and port";
const OTHERS = 'keeps answering every other client correctly while requests fail';
const SOCKET_ERROR = "keeps serving after an 'error' event on its socket, and logs it";
const TOO_LARGE = 'logs the EMSGSIZE when a reply is too large to send, and keeps serving';
const BURST = 'survives a burst of 1,000 datagrams and answers afterwards';
const HOST = 'binds the address given by --host';
const SIGINT = 'shuts down on Ctrl+C (SIGINT): a message, then exit code 0 within 1 s';
const SIGTERM = 'shuts down on SIGTERM too: a message, then exit code 0 within 1 s';

// No smoke check: most of these bugs are caught by checks that start a server process of their
// own (a held port, a signal, a bad --port, the faulty processor), and a smoke check would start
// the shared server for each of them as well.

export default [
  {
    name: 'reuse-addr',
    bug: 'sets reuseAddr, as the document sets SO_REUSEADDR',
    fails: [REUSE],
    edit: { 'udp-server.ts': [[CREATE, '  const socket = dgram.createSocket({ type, reuseAddr: true });']] },
  },
  {
    name: 'errno-48',
    bug: "tests errno === 48 (macOS's number, and Node's is negative) and re-throws anything else",
    fails: [IN_USE],
    edit: { 'server.ts': [[CATCH, "  if ((err as NodeJS.ErrnoException).errno === 48) log.error(`Port ${PORT} already in use`);\n  else throw err;"]] },
  },
  {
    name: 'no-bind-error-listener',
    bug: "has no 'error' listener while binding, so a port in use crashes the process",
    fails: [IN_USE],
    edit: { 'udp-server.ts': [[BIND_LISTENER, '']] },
  },
  {
    name: 'prints-the-error',
    bug: 'prints the whole error object, stack trace and all',
    fails: [IN_USE],
    edit: { 'server.ts': [[IN_USE_LOG, '    console.error(err);']] },
  },
  {
    name: 'exit-code-0',
    bug: 'says the port is in use but exits with code 0',
    fails: [IN_USE],
    edit: { 'server.ts': [['  process.exitCode = 1;', '']] },
  },
  {
    name: 'errors-to-stdout',
    bug: 'writes ERROR lines to stdout, so nothing reaches stderr',
    fails: [IN_USE],
    edit: { 'logger.ts': [[ERROR_STREAM, "    error: (message) => write(out, 'ERROR', message),"]] },
  },
  {
    name: 'no-try',
    bug: 'does not catch what processing throws or rejects',
    fails: [THROWS, REJECTS],
    edit: { 'udp-server.ts': [[TRY, '    const reply = await processMessage(msg);']] },
  },
  {
    name: 'no-await',
    bug: 'calls processMessage inside try without await, so a rejection escapes',
    fails: [REJECTS],
    edit: { 'udp-server.ts': [[AWAIT, '      reply = processMessage(msg) as Buffer;']] },
  },
  {
    name: 'promise-resolve',
    bug: 'wraps the call in Promise.resolve(processMessage(msg)).catch(...), which a synchronous throw escapes',
    fails: [THROWS],
    edit: {
      'udp-server.ts': [[TRY, '    const reply = await Promise.resolve(processMessage(msg)).catch((err: unknown) => {\n      log.error(`Error processing message from ${peer}: ${describe(err)}`);\n      return ERROR_REPLY;\n    });']],
    },
  },
  {
    name: 'error-reply-text',
    bug: 'answers "Error: processing request"',
    fails: [THROWS],
    edit: { 'udp-server.ts': [[ERROR_TEXT, "export const ERROR_REPLY = Buffer.from('Error: processing request', 'utf8');"]] },
  },
  {
    name: 'no-error-log',
    bug: 'answers the error reply but logs nothing',
    fails: [FAILURE_LOG],
    edit: { 'udp-server.ts': [[ERROR_LOG, '']] },
  },
  {
    name: 'error-log-without-peer',
    bug: "logs the error as the document does, without the peer's address",
    fails: [FAILURE_LOG],
    edit: { 'udp-server.ts': [[ERROR_LOG, '      log.error(`Error processing message: ${describe(err)}`);']] },
  },
  {
    name: 'shared-peer',
    bug: 'keeps "the current client" in a shared variable, which another datagram overwrites during the await',
    fails: [OTHERS],
    edit: {
      'udp-server.ts': [
        [ANSWER, `let current: dgram.RemoteInfo | undefined;\n  ${ANSWER}`],
        [PEER, `${PEER}\n    current = rinfo;`],
        ['    socket.send(reply, rinfo.port, rinfo.address, (err) => {', '    socket.send(reply, current!.port, current!.address, (err) => {'],
      ],
    },
  },
  {
    name: 'no-send-callback',
    bug: 'sends without a callback, so EMSGSIZE vanishes',
    fails: [TOO_LARGE],
    edit: { 'udp-server.ts': [[SEND, '    socket.send(reply, rinfo.port, rinfo.address);\n    log.info(`Sent ${reply.length} bytes to ${peer}`);']] },
  },
  {
    name: 'bind-listener-only',
    bug: "listens for 'error' only while binding, so a later error event ends the process",
    fails: [SOCKET_ERROR],
    edit: { 'udp-server.ts': [[RUNTIME_LISTENER, '']] },
  },
  {
    name: 'bind-listener-left',
    bug: "leaves the bind's 'error' listener registered, so a later error event closes the socket",
    fails: [SOCKET_ERROR],
    edit: { 'udp-server.ts': [["      socket.off('error', cannotStart);", '']] },
  },
  {
    name: 'closes-on-error',
    bug: "closes the socket on any 'error' event",
    fails: [SOCKET_ERROR],
    edit: { 'udp-server.ts': [[RUNTIME_LISTENER, "      socket.on('error', (err) => {\n        log.error(`Socket error: ${err.message}`);\n        void close();\n      });"]] },
  },
  {
    name: 'no-timestamp',
    bug: 'logs the level but no timestamp',
    fails: [LOG_FORMAT],
    edit: { 'logger.ts': [[WRITE, '    stream.write(`${level.padEnd(5)} ${text}\\n`);']] },
  },
  {
    name: 'no-level',
    bug: 'logs the timestamp but no level',
    fails: [LOG_FORMAT],
    edit: { 'logger.ts': [[WRITE, '    stream.write(`${new Date().toISOString()} ${text}\\n`);']] },
  },
  {
    name: 'wrong-processor',
    bug: 'wires in an echo instead of the processor from lab 03',
    fails: [HELLO],
    edit: { 'server.ts': [[START, '  const options = { host: HOST, port: PORT, processMessage: (data: Buffer) => data, log };']] },
  },
  {
    name: 'skips-empty',
    bug: 'ignores empty datagrams',
    fails: [EMPTY],
    edit: { 'udp-server.ts': [[PEER, `    if (msg.length === 0) return;\n${PEER}`]] },
  },
  {
    name: 'reencodes-request',
    bug: 'turns the request into a string and back before processing, which hides invalid bytes',
    fails: [RANDOM],
    edit: { 'udp-server.ts': [[AWAIT, "      reply = await processMessage(Buffer.from(msg.toString('utf8'), 'utf8'));"]] },
  },
  {
    name: 'stops-after-100',
    bug: 'stops answering after 100 datagrams',
    fails: [BURST],
    edit: { 'udp-server.ts': [[PEER, `    if (++served > 100) return;\n${PEER}`], [ANSWER, `let served = 0;\n  ${ANSWER}`]] },
  },
  {
    name: 'ignores-host',
    bug: 'always binds 127.0.0.1, whatever --host says',
    fails: [HOST],
    edit: { 'server.ts': [[START, "  const options = { host: '127.0.0.1', port: PORT, processMessage, log };"]] },
  },
  {
    name: 'ready-line-asked-port',
    bug: 'logs the port it was asked for (0), not the one it got',
    fails: [READY],
    edit: { 'udp-server.ts': [[READY_LOG, '      log.info(`UDP server listening on ${host}:${port}`);']] },
  },
  {
    name: 'sigterm-only',
    bug: 'handles SIGTERM but not SIGINT',
    fails: [SIGINT],
    edit: { 'server.ts': [[SIGNALS, "for (const signal of ['SIGTERM'] as const) {"]] },
  },
  {
    name: 'sigint-only',
    bug: 'handles Ctrl+C but not SIGTERM, so kill, systemd and docker stop kill it without a word',
    fails: [SIGTERM],
    edit: { 'server.ts': [[SIGNALS, "for (const signal of ['SIGINT'] as const) {"]] },
  },
  {
    name: 'error-lines-plain',
    bug: 'writes ERROR and WARN lines without a timestamp or a level',
    fails: [LOG_FORMAT],
    edit: { 'logger.ts': [[ERROR_STREAM, "    error: (message) => err.write(`${message}\\n`),"]] },
  },
  {
    name: 'console-error',
    bug: "reports a failed send with console.error, past the logger, so that line has no timestamp or level",
    fails: [LOG_FORMAT],
    edit: { 'udp-server.ts': [[SEND_ERROR_LOG, '      if (err) console.error(`Could not send to ${peer}: ${err.message}`);']] },
  },
  {
    name: 'no-port-check',
    bug: 'trusts --port: "abc" becomes NaN, and bind(NaN) listens on a random port',
    fails: [BAD_PORT],
    edit: { 'server.ts': [[PORT_CHECK, 'if (false) {']] },
  },
  {
    name: 'nan-check-only',
    bug: 'refuses a --port that is not a number, but lets 70000 through, which bind() wraps around',
    fails: [BAD_PORT],
    edit: { 'server.ts': [[PORT_CHECK, 'if (Number.isNaN(PORT)) {']] },
  },
  {
    name: 'port-check-exit-1',
    bug: 'refuses a bad --port, but with exit code 1, as if the server had failed to start',
    fails: [BAD_PORT],
    edit: { 'server.ts': [['  process.exit(2);', '  process.exit(1);']] },
  },
  {
    name: 'trims-request',
    bug: 'trims the request before processing it',
    fails: [EXACT],
    edit: { 'udp-server.ts': [[AWAIT, "      reply = await processMessage(Buffer.from(msg.toString('utf8').trim(), 'utf8'));"]] },
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
    edit: { 'server.ts': [[START, '  const options = { host: HOST, port: 8080, processMessage, log };']] },
  },
  {
    name: 'class-and-chains',
    correct: 'a class with private fields, promise chains, events.once for the bind, and a logger with its own format',
    files: { 'udp-server.ts': 'udp-server.ts', 'logger.ts': 'logger.ts' },
  },
  {
    name: 'own-entry',
    correct: 'an entry with its own argument reading, one shutdown function, process.exit(1), and the processor inline',
    files: { 'server.ts': 'entry.ts' },
  },
] satisfies VariantSpec[];
