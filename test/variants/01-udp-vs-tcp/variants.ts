// Lab 01's known answers: bugs learners write, each of which a check must catch, and correct
// clients written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

// The solution (a connected socket)
const TIMEOUT = '      finish(new TimeoutError(what));';
const MESSAGE = "    socket.on('message', (msg) => finish(undefined, msg));";
const SEND = '      socket.send(data, (sendErr) => {\n        if (sendErr) finish(sendErr);\n      });';
const DATA = "  const data =\n    typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;";
// unconnected.ts (a socket that filters the replies itself)
const FILTER = 'if (rinfo.port === port && bare(rinfo.address) === bare(address)) finish(undefined, msg);';
const LOOKUP = '  const { address } = await lookup(host, { family });';
const SOCKET = "    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');";

const REPLY = 'sends the payload and resolves with the reply as a Buffer';
const LOCALHOST = 'reaches a server on 127.0.0.1 by the name "localhost", where the system lists ::1 first';

export const smoke = [REPLY];

export default [
  {
    name: 'port-only-filter',
    bug: 'accepts a reply from any address, as long as the port matches',
    fails: ['ignores a datagram from another address on the same port'],
    files: { 'request.ts': 'unconnected.ts' },
    edit: { 'request.ts': [[FILTER, 'if (rinfo.port === port) finish(undefined, msg);']] },
  },
  {
    name: 'no-filter',
    bug: 'takes the first datagram from anyone as the reply',
    fails: ['ignores a datagram from another port'],
    files: { 'request.ts': 'unconnected.ts' },
    edit: { 'request.ts': [[FILTER, 'finish(undefined, msg);']] },
  },
  {
    name: 'lookup-any-family',
    bug: 'looks the name up without a family and opens a socket of the family found, so "localhost" may mean ::1, where no IPv4 server listens',
    fails: [LOCALHOST],
    files: { 'request.ts': 'unconnected.ts' },
    edit: {
      'request.ts': [
        [LOOKUP, '  const { address } = await lookup(host);'],
        [SOCKET, "    const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');"],
      ],
    },
  },
  {
    name: 'compares-name',
    bug: 'compares rinfo.address with the host name as given, so the reply to "localhost" (from 127.0.0.1) is ignored',
    fails: [LOCALHOST],
    files: { 'request.ts': 'unconnected.ts' },
    edit: { 'request.ts': [[FILTER, 'if (rinfo.port === port && rinfo.address === host) finish(undefined, msg);']] },
  },
  {
    name: 'plain-error',
    bug: 'rejects a timeout with a plain Error',
    fails: ['rejects with a TimeoutError when no reply comes in time'],
    edit: { 'request.ts': [[TIMEOUT, '      finish(new Error(what));']] },
  },
  {
    name: 'leaks-on-timeout',
    bug: 'rejects on timeout without closing the socket',
    fails: ['closes its socket after a timeout'],
    edit: { 'request.ts': [[TIMEOUT, '      reject(new TimeoutError(what));']] },
  },
  {
    name: 'never-closes',
    bug: 'never closes its socket',
    fails: ['closes its socket after a reply', 'closes its socket after a timeout'],
    edit: { 'request.ts': [['      socket.close();\n', '']] },
  },
  {
    name: 'string-reply',
    bug: 'resolves with a string instead of a Buffer',
    fails: [REPLY],
    edit: { 'request.ts': [[MESSAGE, "    socket.on('message', (msg) => finish(undefined, msg.toString() as never));"]] },
  },
  {
    name: 'no-send-callback',
    bug: 'sends without a callback, so a failed send goes unnoticed until the timeout',
    fails: ['rejects at once, and closes its socket, when the send fails'],
    edit: { 'request.ts': [[SEND, '      socket.send(data);']] },
  },
  {
    name: 'skips-empty',
    bug: 'ignores an empty reply',
    fails: ['sends and receives a zero-length datagram'],
    edit: { 'request.ts': [[MESSAGE, "    socket.on('message', (msg) => {\n      if (msg.length > 0) finish(undefined, msg);\n    });"]] },
  },
  {
    name: 'text-payload',
    bug: 'turns the payload into text and back, damaging binary data',
    fails: ['keeps binary payloads byte for byte'],
    edit: { 'request.ts': [[DATA, "  const data = Buffer.from(String(payload), 'utf8');"]] },
  },
  {
    name: 'connected-no-error-listener',
    bug: "connects the socket but has no 'error' listener: ICMP port unreachable ends the program",
    fails: ['does not crash the program when the port is closed (ICMP port unreachable)'],
    files: { 'request.ts': 'connected-no-error-listener.ts' },
  },
  {
    name: 'connected',
    correct: 'a connected socket, awaited with events.once, closed in a finally',
    files: { 'request.ts': 'connected.ts' },
  },
  {
    name: 'unconnected',
    correct: 'an unconnected socket that compares rinfo with the address looked up for its own family',
    files: { 'request.ts': 'unconnected.ts' },
  },
  {
    name: 'abort-signal',
    correct: 'AbortSignal.timeout closes the socket, and its reason is already a TimeoutError',
    files: { 'request.ts': 'abort-signal.ts' },
  },
] satisfies VariantSpec[];
