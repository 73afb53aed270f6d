// A correct requestWithRetry() written quite differently from the solution: an async loop over
// the attempts, each a race between the answer and a timer, waits from node:timers/promises, and
// one AbortSignal (the caller's and the deadline's, combined with AbortSignal.any) that ends
// whichever wait is running. The exports are the starter's.

import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  attemptTimeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  deadlineMs?: number;
  signal?: AbortSignal;
  random?: () => number;
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export class AbortError extends Error {
  override name = 'AbortError';
}

export const backoffDelay = (n: number, { baseDelayMs, maxDelayMs, random }: BackoffOptions): number =>
  Math.min(maxDelayMs, baseDelayMs * Math.pow(2, n)) * random();

export const newId = (): string => randomBytes(9).toString('base64url').slice(0, 12);

export async function requestWithRetry(host: string, port: number, payload: Buffer | string, options: RetryOptions = {}): Promise<Buffer> {
  const { attemptTimeoutMs = 1000, attempts = 4, baseDelayMs = 100, maxDelayMs = 2000, deadlineMs = 10_000, random = Math.random } = options;
  const caller = options.signal ?? new AbortController().signal;
  if (caller.aborted) throw new AbortError('aborted before the first attempt');
  const t0 = Date.now();
  const address = isIP(host) ? host : (await import('node:dns/promises').then((dns) => dns.lookup(host, { family: 4 }))).address;
  const prefix = `#${newId()} `;
  const datagram = Buffer.concat([Buffer.from(prefix), typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload]);

  // Ends on the caller's abort, or at the deadline (whose reason is a TimeoutError DOMException).
  const local = new AbortController();
  const stop = AbortSignal.any([caller, AbortSignal.timeout(deadlineMs), local.signal]);
  const socket = dgram.createSocket({ type: isIP(address) === 6 ? 'udp6' : 'udp4', signal: stop });

  let answered: (reply: Buffer) => void = () => {};
  const answer = new Promise<Buffer>((resolve) => (answered = resolve));
  socket.on('message', (msg, rinfo) => {
    if (rinfo.port !== port || rinfo.address.replace(/^::ffff:/, '') !== address) return;
    if (msg.length < prefix.length || msg.toString('latin1', 0, prefix.length) !== prefix) return;
    answered(msg.subarray(prefix.length));
  });
  const failure = once(socket, 'error').then(([err]) => Promise.reject(err as Error));
  failure.catch(() => {});

  const story = (n: number) => `${n} attempt${n === 1 ? '' : 's'} in ${Date.now() - t0} ms`;
  let n = 0;
  try {
    for (n = 1; ; n++) {
      await new Promise<void>((resolve, reject) => socket.send(datagram, port, address, (err) => (err ? reject(err) : resolve())));
      const timer = sleep(attemptTimeoutMs, 'timeout' as const, { signal: stop });
      const reply = await Promise.race([answer, timer, failure]);
      if (reply !== 'timeout') return reply;
      if (n === attempts) throw new TimeoutError(`gave up on ${address}:${port}: ${story(n)}`);
      await sleep(backoffDelay(n - 1, { baseDelayMs, maxDelayMs, random }), undefined, { signal: stop });
    }
  } catch (err) {
    if (caller.aborted) throw new AbortError(`aborted: ${story(n)}`, { cause: caller.reason });
    if (stop.aborted && !local.signal.aborted) throw new TimeoutError(`deadline of ${deadlineMs} ms passed: ${story(n)}`);
    throw err;
  } finally {
    // Ends the sleep still running (the race's loser) and closes the socket, through the signal.
    local.abort();
  }
}
