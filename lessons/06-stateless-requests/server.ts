// Demo · lesson 06: the source document's stateless server, in Node, with
// request ids.
//
// Run:   node --import tsx lessons/06-stateless-requests/server.ts
//        (or: npm start -- demo 06)
// Poke:  npm start -- send 127.0.0.1:41234 TIME
//          ← "2026-12-02T05:30:00.123Z"
//        npm start -- send 127.0.0.1:41234 "#a1 ECHO hi"
//          ← "#a1 hi"
//
// It prints:
//   UDP server listening on 127.0.0.1:41234
//   127.0.0.1:50123 "#a1 ECHO hi" → "#a1 hi"

import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const PORT = Number(values.port);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`--port takes 0 to 65535, not "${values.port}".`);
  process.exit(2);
}

// #region table
// 1. The command table: a name, whether the command takes an argument,
//    and a function that answers it, called afresh for every request.
const COMMANDS = new Map([
  ['TIME', { argument: false, run: () => new Date().toISOString() }],
  ['ECHO', { argument: true, run: (text: string) => text }],
]);
// #endregion table

// #region dispatch
// 2. fatal: bytes that are not UTF-8 throw. ignoreBOM: a leading
//    byte-order mark stays a character, as it does in Python.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function answer(bytes: Buffer): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return 'Error: Invalid encoding';
  }
  // 3. The name runs to the first space; the argument is the rest.
  const space = text.indexOf(' ');
  const name = space === -1 ? text : text.slice(0, space);
  const command = COMMANDS.get(name);
  if (!command || command.argument !== (space !== -1)) {
    return 'Unknown command';
  }
  return command.run(text.slice(space + 1));
}
// #endregion dispatch

// #region id
// 4. "#", 1 to 16 of A-Z a-z 0-9 - _, a space: an id, sent back in front.
const ID = /^#[A-Za-z0-9_-]{1,16} /;

function handleRequest(data: Buffer): Buffer {
  const id = ID.exec(data.toString('latin1', 0, 18))?.[0] ?? '';
  return Buffer.from(id + answer(data.subarray(id.length)), 'utf8');
}
// #endregion id

// #region socket
const server = dgram.createSocket('udp4');

// 5. Everything a reply needs is in its datagram and its rinfo: nothing
//    is kept from one request to the next.
server.on('message', (msg, rinfo) => {
  const reply = handleRequest(msg);
  const peer = `${rinfo.address}:${rinfo.port}`;
  server.send(reply, rinfo.port, rinfo.address, (err) => {
    if (err) console.error(`Reply to ${peer} failed: ${err.message}`);
    else console.log(`${peer} ${show(msg)} → ${show(reply)}`);
  });
});
// #endregion socket

/** A datagram for the log: quoted text, or its size when it is long. */
function show(data: Buffer): string {
  return data.length > 60 ? `(${data.length} B)` : JSON.stringify(`${data}`);
}

server.on('error', (err) => {
  console.error(`Server error: ${err.message}`);
  server.close();
  process.exitCode = 1;
});

server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`UDP server listening on ${address}:${port}`);
});

process.once('SIGINT', () => server.close());
process.once('SIGTERM', () => server.close());
server.bind(PORT, values.host);
