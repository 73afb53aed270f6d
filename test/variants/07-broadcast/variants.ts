// Lab 07's known answers: bugs learners write, each of which a check must catch, and correct
// servers and clients written differently from the solution, which must pass. See
// tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

const ANSWERS = 'answers a DISCOVER broadcast with "HERE alpha 7001", from its port';
const JITTER = 'waits a random 20 to 120 ms before each reply, drawn afresh each time';
const ONLY_PROBES = 'answers nothing but the exact probe: not HERE, not "discover", not garbage';
const SHARES = 'shares its port: a second server starts, and both answer one broadcast';
const UNICAST = 'replies by unicast, never to a broadcast address';
const PROBES = 'sends DISCOVER to 127.255.255.255:PORT, `probes` times, spaced out';
const FIVE = 'finds five servers through lost probes and duplicates, sorted by name';
const UNTIL = 'collects replies until timeoutMs has passed, then resolves';
const CLOSES = 'closes its socket and clears its timers when done';
const MALFORMED = 'ignores malformed replies, and replies from any other port';
const NOBODY = 'resolves with an empty list when nobody answers';
const TOGETHER = 'finds your own two servers with your discover()';
const CTRL_C = 'stops on Ctrl+C without a crash, even with replies still waiting';
const CLIENT = [PROBES, FIVE, UNTIL, CLOSES, MALFORMED, NOBODY, TOGETHER];

// A bug in the client runs the client's smoke check, one in the server the server's.
export const smoke = { 'server.ts': [ANSWERS], 'discover.ts': [NOBODY], 'find.ts': [NOBODY] };

// server.ts
const HOST = "    host: { type: 'string', default: '0.0.0.0' },";
const CREATE = "const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });";
const IS_PROBE = '  if (!msg.equals(PROBE)) {';
const DELAY = '  const delay = MIN_DELAY_MS + Math.random() * (MAX_DELAY_MS - MIN_DELAY_MS);';
const SEND = '    socket.send(REPLY, rinfo.port, rinfo.address, (err) => {';
const REPLY = "const REPLY = Buffer.from(`HERE ${NAME} ${SERVICE_PORT}`, 'ascii');";
// discover.ts
const FROM_PORT = '      if (rinfo.port !== port) return;';
const KEEP = '      if (!reply || found.has(reply.name)) return;';
const SET = '      found.set(reply.name, { ...reply, address: rinfo.address });';
const NEXT = '        if (n < probes) later(gap, () => probe(n + 1));';
const SET_BROADCAST = '      socket.setBroadcast(true);\n';
const CLOSE = '      socket.close();\n';
const ADDRESS = "export const BROADCAST_ADDRESS = '127.255.255.255';";

export default [
  // ---- the server ----
  {
    name: 'binds-loopback',
    bug: "keeps lesson 02's bind address, 127.0.0.1, where no broadcast arrives",
    fails: [ANSWERS, JITTER, SHARES, TOGETHER],
    edit: { 'server.ts': [[HOST, "    host: { type: 'string', default: '127.0.0.1' },"]] },
  },
  {
    name: 'no-reuse-addr',
    bug: 'does not set reuseAddr, so a second server cannot bind the port',
    fails: [SHARES, UNICAST, TOGETHER],
    edit: { 'server.ts': [[CREATE, "const socket = dgram.createSocket({ type: 'udp4' });"]] },
  },
  {
    name: 'broadcast-reply',
    // A client bound to 0.0.0.0, as discover() is, still hears it: "together" passes.
    bug: "answers by broadcast, to 127.255.255.255 at the client's port",
    fails: [ANSWERS, JITTER, SHARES, UNICAST],
    edit: {
      'server.ts': [
        [SEND, "    socket.setBroadcast(true);\n    socket.send(REPLY, rinfo.port, '127.255.255.255', (err) => {"],
      ],
    },
  },
  {
    name: 'answers-anything',
    bug: "answers every datagram, as the document's server does",
    fails: [ONLY_PROBES],
    edit: { 'server.ts': [[IS_PROBE, '  if (msg.length < 0) {']] },
  },
  {
    name: 'no-jitter',
    bug: 'answers at once, so every server reaches the client at the same moment',
    fails: [JITTER],
    edit: { 'server.ts': [[DELAY, '  const delay = 0;']] },
  },
  {
    name: 'delay-drawn-once',
    bug: 'draws its random delay once, at start-up, and uses it for every reply',
    fails: [JITTER],
    edit: {
      'server.ts': [
        [DELAY, '  const delay = ONE_DELAY;'],
        [REPLY, `${REPLY}\nconst ONE_DELAY = 20 + Math.random() * 100;`],
      ],
    },
  },
  {
    name: 'discovery-port-in-reply',
    bug: 'announces the discovery port instead of the service port',
    fails: [ANSWERS, TOGETHER],
    edit: { 'server.ts': [[REPLY, "const REPLY = Buffer.from(`HERE ${NAME} ${PORT}`, 'ascii');"]] },
  },
  {
    name: 'timers-not-kept',
    bug: 'does not keep its reply timers in `pending`, so one fires after Ctrl+C closed the socket',
    fails: [CTRL_C],
    edit: { 'server.ts': [['  pending.add(timer);\n', '']] },
  },
  // ---- the client ----
  {
    name: 'one-probe',
    bug: 'sends a single probe: a server whose answer to it is lost is never found',
    fails: [PROBES, FIVE],
    edit: { 'discover.ts': [[NEXT, '']] },
  },
  {
    name: 'burst',
    bug: 'sends its probes all at once, where one loss takes them all',
    fails: [PROBES],
    edit: { 'discover.ts': [[NEXT, '        if (n < probes) probe(n + 1);']] },
  },
  {
    name: 'no-dedupe',
    bug: 'lists a server once per reply instead of once per name',
    fails: [FIVE, MALFORMED, TOGETHER],
    edit: { 'discover.ts': [[`${KEEP}\n${SET}`, '      if (!reply) return;\n      found.set(`${reply.name}#${found.size}`, { ...reply, address: rinfo.address });']] },
  },
  {
    name: 'any-source',
    bug: 'accepts a reply from any port, so anyone on the machine can forge one',
    fails: [MALFORMED],
    edit: { 'discover.ts': [[FROM_PORT, '']] },
  },
  {
    name: 'parse-int',
    bug: 'splits on spaces and reads the port with parseInt: "HERE m7 7001abc" passes',
    fails: [MALFORMED],
    edit: {
      'discover.ts': [
        [
          '  const match = REPLY.exec(data.toString(\'latin1\'));\n  if (!match) return undefined;\n  const port = Number(match[2]);\n  return port <= 65535 ? { name: match[1]!, port } : undefined;',
          "  const [word, name, digits] = data.toString('latin1').split(' ');\n  const port = parseInt(digits ?? '', 10);\n  if (word !== 'HERE' || !name || !(port >= 1 && port <= 65535)) return undefined;\n  return { name, port };",
        ],
      ],
    },
  },
  {
    name: 'stops-early',
    bug: 'stops collecting at the first reply after its last probe, instead of at the timeout',
    fails: [FIVE, UNTIL],
    edit: {
      'discover.ts': [
        [NEXT, `${NEXT}\n        else lastSent = true;`],
        ['    let settled = false;', '    let settled = false;\n    let lastSent = false;'],
        [KEEP, `      if (reply && lastSent) return finish();\n${KEEP}`],
      ],
    },
  },
  {
    name: 'set-broadcast-early',
    bug: 'calls setBroadcast(true) before the socket is bound: it throws EBADF',
    fails: CLIENT,
    edit: {
      'discover.ts': [
        [SET_BROADCAST, ''],
        ["    const socket = dgram.createSocket('udp4');", "    const socket = dgram.createSocket('udp4');\n    socket.setBroadcast(true);"],
      ],
    },
  },
  {
    name: 'leaks-socket',
    bug: 'never closes its socket',
    fails: [CLOSES],
    edit: { 'discover.ts': [[CLOSE, '']] },
  },
  {
    name: 'everyone',
    bug: 'broadcasts to 255.255.255.255, which leaves the machine (the checker refuses to send it)',
    fails: CLIENT,
    edit: { 'discover.ts': [[ADDRESS, "export const BROADCAST_ADDRESS = '255.255.255.255';"]] },
  },
  // ---- correct, written differently ----
  {
    name: 'iterating-server',
    correct: 'a server that reads datagrams with events.on and waits with timers/promises',
    files: { 'server.ts': 'iterating-server.ts' },
  },
  {
    name: 'interval-client',
    correct: 'a client with setInterval, AbortSignal.timeout and a parser that splits instead of a pattern',
    files: { 'discover.ts': 'interval-client.ts' },
  },
] satisfies VariantSpec[];
