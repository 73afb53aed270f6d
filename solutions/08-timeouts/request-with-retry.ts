// Lab 08 · Timeouts: a client that tries again, with backoff and jitter,
// until a deadline, and that its caller can cancel.
//
// requestWithRetry(host, port, payload, options) sends `payload` to
// host:port as a request of lesson 06's protocol, tagged with an id, and
// resolves with the answer: the bytes of the first reply that carries the
// id and comes from host:port, the id taken off. UDP never says that a
// datagram was lost, so the client decides: how long to wait for each
// attempt, how long to wait before the next, and when to give up.
//
// The wire format: lesson 06's request ids. Bytes are in hex, text in
// quotes.
//
//   request = "#" (23) id " " (20) payload
//   reply   = "#" (23) id " " (20) answer
//
//   id: 1 to 16 bytes of A-Z a-z 0-9 "-" (2d) "_" (5f), new for each
//   call and the same on each of its attempts (8 here). payload and
//   answer: any bytes. A server that does not know the id answers without
//   it; such a reply, like one with another id, is not the answer.
//
//   requestWithRetry(host, port, 'ECHO hi') sends "#k3Jd9x2a ECHO hi"
//   (23 6b 33 4a 64 39 78 32 61 20 45 43 48 4f 20 68 69) on every
//   attempt, and resolves with "hi" (68 69) when "#k3Jd9x2a hi" comes
//   back from host:port.
//
// The schedule, in the options' names [defaults]. Attempt 1 goes at once.
// When attempt n + 1 (n = 0, 1, 2, ...) has had no reply for
// attemptTimeoutMs [1000], the client waits
//
//     random() × min(maxDelayMs [2000], baseDelayMs [100] × 2^n)
//
// and sends attempt n + 2, up to `attempts` [4] in all: exponential
// backoff with a cap and full jitter. random() [Math.random] is called once
// for each wait, and for nothing else, so that a test can fix every wait.
// A reply to any attempt, late or not, is the answer: one socket listens
// from the first attempt to the end.
//
// The call settles at the first of these, and never later:
//   - the answer arrives: it resolves with the answer's bytes;
//   - the last attempt's timeout passes: it rejects with a TimeoutError
//     whose message names the attempts and the time spent;
//   - deadlineMs [10000] after the call: the same, even in the middle of
//     an attempt or of a wait;
//   - options.signal aborts: it rejects at once with an AbortError (and
//     sends nothing if the signal had aborted before the call);
//   - a send fails (EMSGSIZE for a payload too large): it rejects with it.
// On every way out it closes its socket, clears its timers and removes its
// listener from the signal, so that a program that calls it can end.

import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface RetryOptions {
  /** How long to wait for a reply to each attempt (ms). */
  attemptTimeoutMs?: number;
  /** How many attempts in all, the first included. */
  attempts?: number;
  /** The wait after the first attempt is at most this long (ms)... */
  baseDelayMs?: number;
  /** ...and no wait is ever longer than this (ms). */
  maxDelayMs?: number;
  /** The call settles no later than this, whatever happens (ms). */
  deadlineMs?: number;
  /** Aborting it cancels the call. */
  signal?: AbortSignal;
  /** A number in [0, 1) for each wait (the jitter). */
  random?: () => number;
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/** No reply within the attempts or the deadline. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The caller's signal aborted the call. */
export class AbortError extends Error {
  override name = 'AbortError';
}

/**
 * How long to wait after attempt n + 1 (n counts from 0) before the next:
 * "full jitter", anywhere between 0 and the capped exponential backoff.
 */
export function backoffDelay(n: number, options: BackoffOptions): number {
  const { baseDelayMs, maxDelayMs, random } = options;
  // The cap comes first: random() × min(...), not min(..., random() × ...),
  // so that every wait is spread evenly over [0, its ceiling).
  return random() * Math.min(maxDelayMs, baseDelayMs * 2 ** n);
}

/** A new id: 6 random bytes are 8 characters of A-Z a-z 0-9 - _. */
export function newId(): string {
  // Not from options.random: that one belongs to the waits, so that the
  // checker can predict each of them.
  return randomBytes(6).toString('base64url');
}

export async function requestWithRetry(
  host: string,
  port: number,
  payload: Buffer | string,
  options: RetryOptions = {},
): Promise<Buffer> {
  const {
    attemptTimeoutMs = 1000,
    attempts = 4,
    baseDelayMs = 100,
    maxDelayMs = 2000,
    deadlineMs = 10_000,
    signal,
    random = Math.random,
  } = options;
  const started = performance.now();
  const spent = () => Math.round(performance.now() - started);

  // An 'abort' listener added to a signal that has already aborted never
  // runs: the event has been and gone. So look first.
  const aborted = () =>
    new AbortError(`Aborted before the first attempt`, {
      cause: signal?.reason,
    });
  if (signal?.aborted) throw aborted();
  // rinfo.address is always numeric: a name is looked up once, here, so
  // that replies can be compared with it.
  const address = isIP(host) ? host : (await lookup(host)).address;
  if (signal?.aborted) throw aborted();

  const tag = Buffer.from(`#${newId()} `, 'latin1');
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const request = Buffer.concat([tag, body]);

  return new Promise<Buffer>((resolve, reject) => {
    const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    let sent = 0;
    // One timer at a time runs the schedule: an attempt's timeout, or the
    // wait after it. The deadline has its own.
    let step: NodeJS.Timeout | undefined;
    const tried = () => `${sent} attempt${sent === 1 ? '' : 's'}`;

    // Every way out comes through here, once: timers cleared, listener
    // removed, socket closed, then the promise settled.
    let settled = false;
    const finish = (error: Error | undefined, answer?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(step);
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(answer!);
    };

    const deadline = setTimeout(() => {
      const why = `within the deadline of ${deadlineMs} ms`;
      finish(new TimeoutError(`No reply from ${address}:${port} ${why}` +
        ` (${tried()} in ${spent()} ms)`));
    }, deadlineMs);

    const onAbort = () => {
      finish(new AbortError(`Aborted after ${tried()} in ${spent()} ms`, {
        cause: signal?.reason,
      }));
    };
    signal?.addEventListener('abort', onAbort);

    // The answer is the first datagram from the server's address and port
    // that starts with our tag, whichever attempt it answers. Anything else
    // (a stranger, a reply to some other request) is ignored.
    socket.on('message', (msg, rinfo) => {
      const from = rinfo.address.replace(/^::ffff:/, '');
      if (from !== address || rinfo.port !== port) return;
      if (!msg.subarray(0, tag.length).equals(tag)) return;
      finish(undefined, msg.subarray(tag.length));
    });

    // Without this listener an 'error' event would end the whole program.
    socket.on('error', (err) => finish(err));

    // n: how many attempts went before this one.
    const attempt = (n: number) => {
      sent = n + 1;
      // A failed send is reported only here (EMSGSIZE, say).
      socket.send(request, port, address, (err) => {
        if (err) finish(err);
      });
      step = setTimeout(() => {
        if (sent >= attempts) {
          finish(new TimeoutError(`No reply from ${address}:${port}` +
            ` after ${tried()} in ${spent()} ms`));
          return;
        }
        const wait = backoffDelay(n, { baseDelayMs, maxDelayMs, random });
        step = setTimeout(() => attempt(n + 1), wait);
      }, attemptTimeoutMs);
    };
    attempt(0);
  });
}
