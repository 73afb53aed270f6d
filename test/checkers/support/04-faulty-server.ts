// Run by the lab 04 checker: the learner's startServer, given a processor that fails on purpose.
//
//   node --import tsx 04-faulty-server.ts --port 0 --host 127.0.0.1 <lab>/04-robust-server/udp-server.ts
//
// It imports startServer from the lab's udp-server.ts and calls it with { host, port,
// processMessage } (no `log`: the lab's own logger is used). The processor answers like lab 03's,
// "Response: <TEXT IN UPPER CASE>", except for requests that start with
//
//   "throw"          it throws      Error("processing failed on purpose: <request>")
//   "reject"         it returns a promise that rejects with that error, 5 ms later
//   "slow"           it answers correctly, 10 ms later, so that requests overlap
//   "socket-error"   it answers, then emits an 'error' event on the socket startServer resolved with
//
// Everything the server logs goes to this process's stdout and stderr, where the checker reads it.

import type { Socket } from 'node:dgram';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

type ProcessMessage = (data: Buffer) => Buffer | Promise<Buffer>;
type StartServer = (options: { host: string; port: number; processMessage: ProcessMessage }) => Promise<{ socket?: Socket } | undefined>;

const INJECTED_SOCKET_ERROR = 'injected socket error';
const failureFor = (request: string) => `processing failed on purpose: ${request}`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
});
const lab = (await import(pathToFileURL(positionals[0] ?? '').href)) as { startServer?: StartServer };
if (typeof lab.startServer !== 'function') {
  console.error(`${positionals[0]} does not export a function named startServer.`);
  process.exit(2);
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const respond = (text: string) => Buffer.from(`Response: ${text.toUpperCase()}`, 'utf8');
let server: { socket?: Socket } | undefined;

function processMessage(data: Buffer): Buffer | Promise<Buffer> {
  const text = data.toString('utf8');
  if (text.startsWith('throw')) throw new Error(failureFor(text));
  if (text.startsWith('reject')) return later(5).then(() => Promise.reject(new Error(failureFor(text))));
  if (text.startsWith('slow')) return later(10).then(() => respond(text));
  if (text === 'socket-error') {
    setImmediate(() => {
      if (server?.socket) server.socket.emit('error', Object.assign(new Error(INJECTED_SOCKET_ERROR), { code: 'EINJECTED' }));
      else console.error('startServer resolved without a `socket`, so no error event could be injected.');
    });
  }
  return respond(text);
}

server = await lab.startServer({ host: values.host, port: Number(values.port), processMessage });
