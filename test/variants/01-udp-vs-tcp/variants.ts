// Lab 01's known answers: bugs learners write, each of which a check must catch, and correct
// clients written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

const FILTER = 'if (rinfo.port === port && from === address) finish(undefined, msg);';
const TIMER = '() => finish(new TimeoutError(';
const SEND = 'socket.send(data, port, address, (err) => {\n      if (err) finish(err);\n    });';

export default [
  {
    name: 'port-only-filter',
    bug: 'accepts a reply from any address, as long as the port matches',
    fails: ['ignores a datagram from another address on the same port'],
    edit: { 'request.ts': [[FILTER, 'if (rinfo.port === port) finish(undefined, msg);']] },
  },
  {
    name: 'no-filter',
    bug: 'takes the first datagram from anyone as the reply',
    fails: ['ignores a datagram from another port'],
    edit: { 'request.ts': [[FILTER, 'finish(undefined, msg);']] },
  },
  {
    name: 'plain-error',
    bug: 'rejects a timeout with a plain Error',
    fails: ['rejects with a TimeoutError when no reply comes in time'],
    edit: { 'request.ts': [[TIMER, '() => finish(new Error(']] },
  },
  {
    name: 'leaks-on-timeout',
    bug: 'rejects on timeout without closing the socket',
    fails: ['closes its socket after a timeout'],
    edit: { 'request.ts': [[TIMER, '() => reject(new TimeoutError(']] },
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
    fails: ['sends the payload and resolves with the reply as a Buffer'],
    edit: { 'request.ts': [[FILTER, 'if (rinfo.port === port && from === address) finish(undefined, msg.toString() as never);']] },
  },
  {
    name: 'no-send-callback',
    bug: 'sends without a callback, so a failed send goes unnoticed until the timeout',
    fails: ['rejects at once, and closes its socket, when the send fails'],
    edit: { 'request.ts': [[SEND, 'socket.send(data, port, address);']] },
  },
  {
    name: 'skips-empty',
    bug: 'ignores an empty reply',
    fails: ['sends and receives a zero-length datagram'],
    edit: { 'request.ts': [[FILTER, 'if (msg.length > 0 && rinfo.port === port && from === address) finish(undefined, msg);']] },
  },
  {
    name: 'text-payload',
    bug: 'turns the payload into text and back, damaging binary data',
    fails: ['keeps binary payloads byte for byte'],
    edit: { 'request.ts': [["const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;", "const data = Buffer.from(String(payload), 'utf8');"]] },
  },
  {
    name: 'connected-no-error-listener',
    bug: "connects the socket but has no 'error' listener: ICMP port unreachable ends the program",
    fails: ['does not crash the program when the port is closed (ICMP port unreachable)'],
    files: { 'request.ts': 'connected-no-error-listener.ts' },
  },
  {
    name: 'connected',
    correct: "a connected socket: the kernel filters strangers and reports ECONNREFUSED as 'error'",
    files: { 'request.ts': 'connected.ts' },
  },
  {
    name: 'abort-signal',
    correct: "AbortSignal.timeout closes the socket, and its reason is already a TimeoutError",
    files: { 'request.ts': 'abort-signal.ts' },
  },
] satisfies VariantSpec[];
