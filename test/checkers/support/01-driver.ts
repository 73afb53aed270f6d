// Runs in lab 01's probe, the process where the learner's request() is called
// (tools/harness/probe.ts). It makes "localhost" resolve as it does on systems
// whose hosts file lists ::1 first: a lookup without a family gives ::1 first,
// while a lookup for one family (what a udp4 or udp6 socket asks for, FACTS 24)
// gives that family's address, as the system would. Nothing else changes.

import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';

type Lab = { request: (...args: unknown[]) => unknown };
type Callback = (err: Error | null, address: unknown, family?: number) => void;

const FIRST = [
  { address: '::1', family: 6 },
  { address: '127.0.0.1', family: 4 },
];

/** The family a lookup asks for: 0 when it takes whatever comes first. */
function familyOf(options: unknown): number {
  if (typeof options === 'number') return options;
  const family = (options as { family?: unknown } | undefined)?.family;
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return Number(family ?? 0) || 0;
}

const wantsAll = (options: unknown) => (options as { all?: unknown } | undefined)?.all === true;
const isTheTrap = (host: unknown, options: unknown) => host === 'localhost' && familyOf(options) === 0;

const realLookup = dns.lookup as unknown as (...args: unknown[]) => void;
function lookup(host: string, options: unknown, callback?: Callback): void {
  const cb = (typeof options === 'function' ? options : callback) as Callback;
  const opts = typeof options === 'function' ? undefined : options;
  if (!isTheTrap(host, opts)) return realLookup.call(dns, host, opts ?? {}, cb);
  process.nextTick(() => (wantsAll(opts) ? cb(null, FIRST) : cb(null, FIRST[0]!.address, FIRST[0]!.family)));
}

const realPromise = dns.promises.lookup.bind(dns.promises) as (host: string, options?: unknown) => Promise<unknown>;
async function lookupPromise(host: string, options?: unknown): Promise<unknown> {
  if (!isTheTrap(host, options)) return realPromise(host, options);
  return wantsAll(options) ? FIRST : FIRST[0];
}

dns.lookup = lookup as unknown as typeof dns.lookup;
dns.promises.lookup = lookupPromise as unknown as typeof dns.promises.lookup;
// `import { lookup } from 'node:dns'` (or 'node:dns/promises') in the lab sees the change too.
syncBuiltinESMExports();

export function request(lab: Lab, ...args: unknown[]): unknown {
  return lab.request(...args);
}
