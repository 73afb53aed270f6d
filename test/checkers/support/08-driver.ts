// The lab 08 checker's driver: runs in the probe (tools/harness/probe-child.ts), next to the
// learner's module, and calls its functions with what JSON cannot carry: a random() that returns
// a fixed sequence, so that the checker can predict every wait, and an AbortSignal from an
// AbortController of the driver's, aborted when the call's plan says. Each call reports how the
// learner's call went, with what the checker cannot see over the network: how often random() was
// called, and how many 'abort' listeners were left on the signal once it settled.

import { getEventListeners } from 'node:events';

type Lab = Record<string, unknown>;

export interface Plan {
  /** random() returns these in turn, then the last one again. */
  random: number[];
  /** Pass options.signal, from an AbortController of the driver's. */
  signal?: boolean;
  /** Abort the signal this long after the call starts; 0 aborts it before the call. */
  abortAfterMs?: number;
}

export interface ErrorReport {
  name: string;
  message: string;
  code?: string;
}

export interface Report {
  settled: 'resolved' | 'rejected';
  value?: unknown;
  error?: ErrorReport;
  /** From the call to its settling, in the probe's clock. */
  ms: number;
  randomCalls: number;
  /** 'abort' listeners still on the signal once the call settled (with a signal). */
  abortListeners?: number;
  /** When the driver aborted the signal, ms after the call started (-1: before it). */
  abortedAtMs?: number;
  /** The function is not exported. */
  missing?: string;
  /**
   * The longest the probe's event loop was held up during the call (a busy machine does that),
   * in ms: a timer of the learner's may have fired that much late, and a send gone out that late.
   */
  lagMs?: number;
}

/** The probe's own event loop, watched during a call: a tick every 5 ms. */
function watchLag(): () => number {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 5);
    last = now;
  }, 5);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(max, performance.now() - last - 5, 0));
  };
}

function describeError(err: unknown): ErrorReport {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : typeof err,
    message: typeof e.message === 'string' ? e.message : String(err),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
  };
}

/** requestWithRetry(host, port, payload, { ...options, random, signal? }), as the plan says. */
export async function retry(lab: Lab, host: string, port: number, payload: unknown, options: Record<string, unknown>, plan: Plan): Promise<Report> {
  const fn = lab.requestWithRetry;
  if (typeof fn !== 'function') return { settled: 'rejected', ms: 0, randomCalls: 0, missing: 'requestWithRetry' };
  let randomCalls = 0;
  const random = () => plan.random[Math.min(randomCalls++, plan.random.length - 1)] ?? 0.5;
  const controller = plan.signal || plan.abortAfterMs !== undefined ? new AbortController() : undefined;
  let abortedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (controller && plan.abortAfterMs === 0) {
    controller.abort();
    abortedAt = -1;
  }
  const started = performance.now();
  if (controller && plan.abortAfterMs) {
    timer = setTimeout(() => {
      abortedAt = performance.now() - started;
      controller.abort();
    }, plan.abortAfterMs);
  }
  let outcome: Pick<Report, 'settled' | 'value' | 'error'>;
  const lag = watchLag();
  try {
    outcome = { settled: 'resolved', value: await fn(host, port, payload, { ...options, random, ...(controller ? { signal: controller.signal } : {}) }) };
  } catch (err) {
    outcome = { settled: 'rejected', error: describeError(err) };
  }
  const ms = Math.round(performance.now() - started);
  // The driver's own timers go, so that what is left open is the learner's alone.
  clearTimeout(timer);
  const lagMs = lag();
  return {
    ...outcome,
    ms,
    lagMs,
    randomCalls,
    ...(controller ? { abortListeners: getEventListeners(controller.signal, 'abort').length } : {}),
    ...(abortedAt !== undefined ? { abortedAtMs: Math.round(abortedAt) } : {}),
  };
}

export interface BackoffCase {
  n: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: number;
}

/** backoffDelay(n, { baseDelayMs, maxDelayMs, random }) for each case, with random() fixed. */
export function backoffs(lab: Lab, cases: BackoffCase[]): { values?: unknown[]; calls?: number[]; missing?: string } {
  const fn = lab.backoffDelay;
  if (typeof fn !== 'function') return { missing: 'backoffDelay' };
  const values: unknown[] = [];
  const calls: number[] = [];
  for (const c of cases) {
    let count = 0;
    const random = () => {
      count++;
      return c.random;
    };
    try {
      values.push(fn(c.n, { baseDelayMs: c.baseDelayMs, maxDelayMs: c.maxDelayMs, random }));
    } catch (err) {
      values.push({ threw: describeError(err) });
    }
    calls.push(count);
  }
  return { values, calls };
}
