// Lab 10's known answers: bugs learners write, each of which a check must catch, and correct
// servers written differently from the solution, which must pass. See tools/check/variants.ts.
import type { VariantSpec } from '../../../tools/check/variants.ts';

// quote-server.ts
const GATE = `      if (!validated && data.length > msg.length) {
        return summary.dropped('short', from);
      }
`;
const LENGTH = "    if (msg.length > MAX_REQUEST) return summary.dropped('large', from);";
const LIMIT = '    if (!limiter.allow(source, performance.now())) {';
const NORMALISE = `  return address.startsWith('::ffff:') && address.includes('.')
    ? address.slice(7)
    : address;`;
// cookie.ts
const MAC_INPUT = '      .update(`${address}|${port}|${window}`)';
const SAME = '  return a.length === b.length && timingSafeEqual(a, b);';
const ISSUE = `    issue(address, port, now = Date.now()) {
      return mac(address, port, windowAt(now));
    },`;
// rate-limit.ts
const REFILL = '      bucket.tokens = Math.min(burst, bucket.tokens + elapsed * rate);';
const TOUCH = `    if (bucket) {
      buckets.delete(source);
    } else {
      // A new address starts with a full bucket: its first requests pass.
      bucket = { tokens: burst, updated: now };
    }
    buckets.set(source, bucket);`;
const CAP = `    if (buckets.size > maxSources) {
      const oldest = buckets.keys().next().value!;
      buckets.delete(oldest);
    }
`;
// safe-log.ts
const ESCAPE = `  let text = '';
  for (const byte of bytes.subarray(0, max)) {
    if (byte === 0x5c) text += '\\\\\\\\';
    else if (byte === 0x22) text += '\\\\"';
    else if (byte >= 0x20 && byte <= 0x7e) text += String.fromCharCode(byte);
    else text += \`\\\\x\${byte.toString(16).padStart(2, '0')}\`;
  }
  return \`"\${text}"\${bytes.length > max ? \`... (\${bytes.length} B)\` : ''}\`;`;
const COUNT = `    dropped(reason, from) {
      counts[reason]++;
      last[reason] = from;
      schedule();
    },`;

const COOKIE = 'answers a QUOTE padded to 64 bytes with "COOKIE <token>", no longer than the request';
const SAME_SOURCE = 'answers "QUOTE <token>" from the same address and port with a quotation, every time';
const AMPLIFICATION = 'sends nothing larger than the request before validation: bytes out / bytes in ≤ 1 for every source';
const ELSEWHERE = 'refuses a cookie sent from another port or another address, with a new COOKIE';
const FORGED = 'refuses forged cookies: changed, cut short, lengthened, or made up';
const EXPIRED = 'refuses a cookie once twice --cookie-lifetime has passed';
const OVERSIZE = 'drops a request over 512 bytes unread, and answers one of exactly 512';
const RATE = 'lets an address through at most --burst + --rate × T times in T seconds';
const LEGIT = 'keeps answering a legitimate address (≥ 99 %) while others flood';
const ROTATING = 'limits one address that rotates through 40 ports as one source';
const SUMMARY = 'reports a flood in a few summary lines, at most one per --summary-interval';
const HOSTILE = 'never writes control characters from a request to its log';
const TWIN = 'on "::", accepts a cookie its twin with the same --secret gave the same client over IPv4';
const LRU = 'forgets the least recently seen address beyond --max-sources, and remembers a recent one';
const MEMORY = 'keeps its memory bounded while 20,000 distinct addresses write to it (RSS)';

export const smoke = [COOKIE];

export default [
  {
    name: 'no-size-rule',
    bug: 'answers every unvalidated request with its COOKIE or ERR, however short the request',
    fails: [AMPLIFICATION],
    edit: { 'quote-server.ts': [[GATE, '']] },
  },
  {
    name: 'size-rule-after-validation',
    bug: 'applies the size rule to validated replies too, so a quotation never goes out',
    fails: [SAME_SOURCE],
    edit: { 'quote-server.ts': [['      if (!validated && data.length > msg.length) {', '      if (data.length > msg.length) {']] },
  },
  {
    name: 'cookie-without-port',
    bug: 'leaves the port out of the HMAC, so another program on the same host can use the cookie',
    fails: [ELSEWHERE],
    edit: { 'cookie.ts': [[MAC_INPUT, '      .update(`${address}|${window}`)']] },
  },
  {
    name: 'timing-safe-without-length',
    bug: 'calls timingSafeEqual on tokens of any length, which throws and ends the server',
    fails: [FORGED],
    edit: { 'cookie.ts': [[SAME, '  return timingSafeEqual(a, b);']] },
  },
  {
    name: 'never-expires',
    bug: 'leaves the time window out of the HMAC, so a cookie never expires',
    fails: [EXPIRED],
    edit: { 'cookie.ts': [[MAC_INPUT, '      .update(`${address}|${port}`)']] },
  },
  {
    name: 'limit-off-by-one',
    bug: 'drops requests of 512 bytes and more, one byte too early',
    fails: [OVERSIZE],
    edit: { 'quote-server.ts': [[LENGTH, "    if (msg.length >= MAX_REQUEST) return summary.dropped('large', from);"]] },
  },
  {
    name: 'bucket-per-port',
    bug: 'keys the buckets by address and port, so one host rotating through ports gets a burst per port',
    fails: [ROTATING],
    edit: { 'quote-server.ts': [[LIMIT, '    if (!limiter.allow(from, performance.now())) {']] },
  },
  {
    name: 'refill-without-cap',
    bug: 'refills without Math.min(burst, ...), so a quiet address saves up a flood',
    fails: [RATE],
    edit: { 'rate-limit.ts': [[REFILL, '      bucket.tokens += elapsed * rate;']] },
  },
  {
    name: 'one-bucket-for-all',
    bug: 'limits the whole server with one bucket, so one flooder silences every client',
    fails: [LEGIT],
    edit: { 'quote-server.ts': [[LIMIT, "    if (!limiter.allow('everyone', performance.now())) {"]] },
  },
  {
    name: 'json-stringify-escape',
    bug: 'escapes log text with JSON.stringify, which leaves DEL and the C1 controls raw',
    fails: [HOSTILE],
    edit: { 'safe-log.ts': [[ESCAPE, "  return JSON.stringify(bytes.subarray(0, max).toString('utf8'));"]] },
  },
  {
    name: 'line-per-drop',
    bug: 'writes a line for every dropped datagram instead of a summary',
    fails: [SUMMARY],
    edit: { 'safe-log.ts': [[COUNT, '    dropped(reason, from) {\n      log.warn(`Dropped a datagram ${REASONS[reason]} from ${from}`);\n    },']] },
  },
  {
    name: 'no-normalise',
    bug: 'keys cookies by rinfo.address as it comes, so a dual-stack server disagrees with an IPv4 one',
    fails: [TWIN],
    edit: { 'quote-server.ts': [[NORMALISE, '  return address;']] },
  },
  {
    name: 'no-cap',
    bug: 'never forgets an address: the table grows with every source',
    fails: [LRU],
    edit: { 'rate-limit.ts': [[CAP, '']] },
  },
  {
    name: 'first-in-first-out',
    bug: 'evicts the first address inserted, not the least recently seen, so a flooder is forgotten and refilled',
    fails: [LRU],
    edit: {
      'rate-limit.ts': [[TOUCH, '    if (!bucket) {\n      bucket = { tokens: burst, updated: now };\n      buckets.set(source, bucket);\n    }']],
    },
  },
  {
    name: 'cookie-jar',
    bug: 'remembers every cookie it issues, with a timer each to forget it after a minute, so memory grows with every source',
    fails: [MEMORY],
    edit: {
      'cookie.ts': [
        [
          ISSUE,
          `    issue(address, port, now = Date.now()) {
      const cookie = mac(address, port, windowAt(now));
      const key = \`\${address}|\${port}|\${cookie}\`;
      if (!jar.has(key)) {
        jar.set(key, setTimeout(() => jar.delete(key), 60_000));
      }
      return cookie;
    },`,
        ],
        ['  return {\n    issue(', '  const jar = new Map<string, NodeJS.Timeout>();\n  return {\n    issue('],
      ],
    },
  },
  {
    name: 'expiring-cookie',
    correct: 'a cookie that carries its expiry (as RFC 9018 does), exact to the lifetime, SHA-512 and base64url',
    files: { 'cookie.ts': 'expiring-cookie.ts' },
  },
  {
    name: 'one-file',
    correct: 'one file with a class, a GCRA limiter instead of a token bucket, an interval timer and regex escaping',
    files: { 'server.ts': 'one-file.ts' },
  },
] satisfies VariantSpec[];
