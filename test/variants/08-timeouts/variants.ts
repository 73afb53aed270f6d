// Lab 08's known answers: bugs learners write, each of which a check must catch, and a client and
// a server written quite differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

// request-with-retry.ts
const BACKOFF_LINE = '  return random() * Math.min(maxDelayMs, baseDelayMs * 2 ** n);';
const NEW_ID = "  return randomBytes(6).toString('base64url');";
const FROM_CHECK = '      if (from !== address || rinfo.port !== port) return;';
const TAG_CHECK = '      if (!msg.subarray(0, tag.length).equals(tag)) return;';
const DEADLINE = `    const deadline = setTimeout(() => {
      const why = \`within the deadline of \${deadlineMs} ms\`;
      finish(new TimeoutError(\`No reply from \${address}:\${port} \${why}\` +
        \` (\${tried()} in \${spent()} ms)\`));
    }, deadlineMs);`;
const ADD_LISTENER = "    signal?.addEventListener('abort', onAbort);";
const REMOVE_LISTENER = "      signal?.removeEventListener('abort', onAbort);";
const ATTEMPT = '    const attempt = (n: number) => {\n      sent = n + 1;';
const ABORTED_FIRST = '  if (signal?.aborted) throw aborted();\n  // rinfo.address';
const ABORTED_AFTER_LOOKUP = '(await lookup(host)).address;\n  if (signal?.aborted) throw aborted();';
const TAG = "  const tag = Buffer.from(`#${newId()} `, 'latin1');";
// commands.ts
const SLOW_LIMIT = '    if (!delay || ms > MAX_DELAY_MS) return INVALID_DELAY;';
// server.ts
const ANSWER_CALL = '  void answer(msg, rinfo);';
const IGNORE_NEW = `  if (stopping) {
    console.log(\`Ignored \${msg.length} bytes from \${peer}: shutting down\`);
    return;
  }`;
const NOTHING_IN_PROGRESS = '  if (inProgress === 0) return close(0);';
const GIVE_UP = '    giveUp.abort();\n    close(1);';
const SECOND_SIGNAL = `  if (stopping) {
    // The second signal: no more waiting.`;

const BACKOFF = 'backoffDelay(n) is random() × min(maxDelayMs, baseDelayMs × 2ⁿ)';
const BASIC = 'sends the payload tagged "#<id> ", resolves with the answer after the id';
const LEAK_ANSWER = 'leaves no socket, timer or abort listener behind after the answer';
const SCHEDULE = 'waits random() × min(maxDelayMs, baseDelayMs × 2ⁿ) between attempts';
const GIVE_UP_CHECK = 'gives up after its attempts, with a TimeoutError naming them and the time';
const LATE = 'takes a late reply to attempt 1, even after attempt 2 went out';
const STRANGERS = 'ignores replies from another port or address, or with another id';
const DEADLINE_CHECK = 'stops at its deadline, even in the middle of a wait, leaving nothing open';
const ABORT_ATTEMPT = 'obeys an abort at once during an attempt, leaving nothing open';
const ABORT_WAIT = 'obeys an abort at once during a wait between attempts';
const ABORT_BEFORE = 'obeys a signal aborted before the call: rejects at once, sends nothing';
const PROTOCOL = "answers lesson 06's TIME, ECHO and unknown commands, with and without #id";
const SLOW_CONCURRENT = 'answers other requests while a SLOW one is waiting';
const SLOW_REFUSED = 'refuses SLOW over 10 s or without a proper delay: "Error: Invalid delay"';
const DRAIN = 'on SIGTERM, finishes the requests in progress, takes no new ones, exits 0';
const DRAIN_DEADLINE = 'exits 1, saying how many it abandoned, when --drain-ms has passed';
const TWICE = 'drains on Ctrl+C, and a second Ctrl+C ends it at once';

/** Two cheap checks, one of each side, that every bug must still pass unless it names them. */
// A bug in the client runs the client's smoke check, one in the server the server's.
export const smoke = { 'request-with-retry.ts': [BASIC], 'commands.ts': [PROTOCOL], 'server.ts': [PROTOCOL] };

export default [
  // ---- the client ----
  {
    name: 'no-jitter',
    bug: 'waits the whole capped backoff every time: no jitter',
    fails: [BACKOFF, SCHEDULE],
    edit: { 'request-with-retry.ts': [[BACKOFF_LINE, '  return Math.min(maxDelayMs, baseDelayMs * 2 ** n);']] },
  },
  {
    name: 'no-cap',
    bug: 'lets the backoff grow without maxDelayMs',
    fails: [BACKOFF, SCHEDULE],
    edit: { 'request-with-retry.ts': [[BACKOFF_LINE, '  return random() * baseDelayMs * 2 ** n;']] },
  },
  {
    name: 'exponent-from-1',
    bug: 'counts the waits from 1, so that every wait is twice too long',
    fails: [BACKOFF, SCHEDULE],
    edit: { 'request-with-retry.ts': [[BACKOFF_LINE, '  return random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n + 1));']] },
  },
  {
    name: 'random-for-id',
    bug: 'makes the id from options.random, so that every wait uses the next value',
    fails: [SCHEDULE],
    edit: { 'request-with-retry.ts': [[TAG, "  const tag = Buffer.from(`#${Math.floor(random() * 2 ** 32).toString(36)} `, 'latin1');"]] },
  },
  {
    name: 'socket-per-attempt',
    bug: 'opens a new socket for each attempt, closing the one a late reply goes to',
    fails: [LATE],
    edit: {
      'request-with-retry.ts': [
        ["    const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');", "    let socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');"],
        ["    socket.on('message', (msg, rinfo) => {", '    const onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo) => {'],
        ['      finish(undefined, msg.subarray(tag.length));\n    });', "      finish(undefined, msg.subarray(tag.length));\n    };\n    socket.on('message', onMessage);"],
        [
          '      sent = n + 1;',
          "      if (n > 0) {\n        socket.close();\n        socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');\n        socket.on('message', onMessage).on('error', (err) => finish(err));\n      }\n      sent = n + 1;",
        ],
      ],
    },
  },
  {
    name: 'any-sender',
    bug: "takes a reply with the right id from anyone, whatever its address and port",
    fails: [STRANGERS],
    edit: { 'request-with-retry.ts': [[FROM_CHECK, '']] },
  },
  {
    name: 'prefix-id',
    bug: 'compares the id without the space after it, so that a longer id matches',
    fails: [STRANGERS],
    edit: { 'request-with-retry.ts': [[TAG_CHECK, '      if (!msg.toString(\'latin1\').startsWith(tag.toString(\'latin1\').trimEnd())) return;']] },
  },
  {
    name: 'uuid-id',
    bug: 'uses crypto.randomUUID() as the id: 36 characters, where lesson 06 takes 16',
    fails: [BASIC],
    edit: {
      'request-with-retry.ts': [
        ["import { randomBytes } from 'node:crypto';", "import { randomBytes, randomUUID } from 'node:crypto';"],
        [NEW_ID, '  void randomBytes;\n  return randomUUID();'],
      ],
    },
  },
  {
    name: 'no-deadline',
    bug: 'has no deadline: it goes on until its attempts are used up',
    fails: [DEADLINE_CHECK],
    edit: { 'request-with-retry.ts': [[DEADLINE, '    const deadline: NodeJS.Timeout | undefined = undefined;']] },
  },
  {
    name: 'abort-between-attempts',
    bug: 'looks at signal.aborted only before each attempt, instead of listening for the abort',
    fails: [ABORT_ATTEMPT, ABORT_WAIT],
    edit: {
      'request-with-retry.ts': [
        [ADD_LISTENER, ''],
        [ATTEMPT, '    const attempt = (n: number) => {\n      if (signal?.aborted) return onAbort();\n      sent = n + 1;'],
      ],
    },
  },
  {
    name: 'no-aborted-check',
    bug: "only listens for 'abort', which never comes for a signal that had already aborted",
    fails: [ABORT_BEFORE],
    edit: { 'request-with-retry.ts': [[ABORTED_FIRST, '  // rinfo.address'], [ABORTED_AFTER_LOOKUP, '(await lookup(host)).address;']] },
  },
  {
    name: 'abort-listener-left',
    bug: "never removes its 'abort' listener from the signal",
    fails: [LEAK_ANSWER],
    edit: { 'request-with-retry.ts': [[REMOVE_LISTENER, '']] },
  },
  {
    name: 'attempts-off-by-one',
    bug: 'sends one attempt more than `attempts`',
    fails: [GIVE_UP_CHECK],
    edit: { 'request-with-retry.ts': [['        if (sent >= attempts) {', '        if (sent > attempts) {']] },
  },
  // ---- the server ----
  {
    name: 'slow-without-limit',
    bug: 'accepts a SLOW of any length, so that one request can hold the server for hours',
    fails: [SLOW_REFUSED],
    edit: { 'commands.ts': [[SLOW_LIMIT, '    if (!delay) return INVALID_DELAY;']] },
  },
  {
    name: 'one-at-a-time',
    bug: 'answers one request at a time, so that a SLOW holds up every other',
    fails: [SLOW_CONCURRENT],
    edit: { 'server.ts': [[ANSWER_CALL, '  queue = queue.then(() => answer(msg, rinfo));'], ['let inProgress = 0;', 'let inProgress = 0;\nlet queue = Promise.resolve();']] },
  },
  {
    name: 'close-at-once',
    bug: 'closes the socket on the signal, as lesson 04 does, losing the requests in progress',
    fails: [DRAIN],
    edit: { 'server.ts': [[NOTHING_IN_PROGRESS, '  return close(0);']] },
  },
  {
    name: 'answers-while-draining',
    bug: 'keeps answering new requests while it drains',
    fails: [DRAIN],
    edit: { 'server.ts': [[IGNORE_NEW, '']] },
  },
  {
    name: 'abandons-with-0',
    bug: 'gives up at the drain deadline but exits with code 0',
    fails: [DRAIN_DEADLINE],
    edit: { 'server.ts': [[GIVE_UP, '    giveUp.abort();\n    close(0);']] },
  },
  {
    name: 'second-signal-ignored',
    bug: 'ignores a second Ctrl+C while it drains',
    fails: [TWICE],
    edit: { 'server.ts': [[SECOND_SIGNAL, '  if (stopping) return;\n  if (stopping) {\n    // The second signal: no more waiting.']] },
  },
  // ---- correct answers, written differently ----
  {
    name: 'async-loop-client',
    correct: 'an async loop of races, waits from timers/promises, and AbortSignal.any for the deadline and the abort',
    files: { 'request-with-retry.ts': 'retry-async.ts' },
  },
  {
    name: 'class-server',
    correct: 'a class that keeps its requests in progress as promises and drains with Promise.allSettled raced against the deadline; a Map of commands',
    files: { 'server.ts': 'drain-class.ts', 'commands.ts': 'commands.ts' },
  },
] satisfies VariantSpec[];
