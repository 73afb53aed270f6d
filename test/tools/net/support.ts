// What the network tools' tests share: a fake clock, an in-process echo server, a fake Io, and a
// count of the handles that must be gone after a test. Everything opened here is closed after the
// test by test/setup.ts (through the harness's cleanup registry).

import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { track } from '../../../tools/harness/cleanup.ts';
import { TS_IMPORT } from '../../../tools/harness/server-process.ts';
import { interruptClaims, type Io } from '../../../tools/term/io.ts';
import type { Clock } from '../../../tools/net/pipe.ts';
import { startProxy, type ImpairmentProxy, type ProxyOptions } from '../../../tools/net/proxy.ts';
import type { Endpoint } from '../../../tools/udp/address.ts';

/** A clock that moves only when told to, running due timers in time order. */
export class FakeClock implements Clock {
  time = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves to `time + ms`, running each timer at its own time. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].callback();
    }
    this.time = end;
  }
}

export interface EchoServer extends Endpoint {
  /** Every datagram received, with its sender's port. */
  received: { data: Buffer; port: number }[];
}

/** A UDP server in this process that answers each datagram with `reply(data)` (default: the same bytes). */
export function echoServer(reply: (data: Buffer) => Buffer | undefined = (data) => data, address = '127.0.0.1'): Promise<EchoServer> {
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  const received: EchoServer['received'] = [];
  socket.on('message', (data, rinfo) => {
    received.push({ data, port: rinfo.port });
    const answer = reply(data);
    if (answer) socket.send(answer, rinfo.port, rinfo.address, () => {});
  });
  socket.on('error', () => {});
  track(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return new Promise((resolve) => socket.bind(0, address, () => resolve({ address, port: socket.address().port, received })));
}

/** A port on which nothing listens (bound once, then closed). */
export async function closedPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Starts a proxy that is stopped after the test, passed or failed. */
export async function proxyFor(options: ProxyOptions): Promise<ImpairmentProxy> {
  const proxy = await startProxy(options);
  track(() => proxy.stop());
  return proxy;
}

export interface Handles {
  udp: number;
  timers: number;
}

/** UDP sockets and timers alive in this process now. */
export function handles(): Handles {
  const info = process.getActiveResourcesInfo();
  return { udp: info.filter((r) => r === 'UDPWrap').length, timers: info.filter((r) => r === 'Timeout').length };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The handles once those being closed are gone: a socket's close callback runs before libuv releases it. */
export async function settledHandles(): Promise<Handles> {
  for (let i = 0; i < 3; i++) await turn();
  return handles();
}

/**
 * Waits (at most `ms`) until the handles named in `expected` are back to at most their count there,
 * and returns them, each count capped at the expected one: equal to `expected` when nothing is
 * left over. (Something else in the test process, vitest's own timers say, may close meanwhile;
 * that is no leak.)
 */
export async function handlesBackTo(expected: Partial<Handles>, ms = 1000): Promise<Partial<Handles>> {
  const deadline = performance.now() + ms;
  const keys = Object.keys(expected) as (keyof Handles)[];
  const settled = (h: Handles) => keys.every((k) => h[k] <= expected[k]!);
  let now = handles();
  while (!settled(now) && performance.now() < deadline) {
    await turn();
    now = handles();
  }
  return Object.fromEntries(keys.map((k) => [k, now[k] > expected[k]! ? now[k] : expected[k]])) as Partial<Handles>;
}

export interface FakeIo extends Io {
  stdin: PassThrough & { isTTY?: boolean };
  controller: AbortController;
  out(): string;
  err(): string;
  /** Resolves when stdout has printed something matching `pattern`, or rejects after `ms`. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
}

export function fakeIo(options: { interactive?: boolean } = {}): FakeIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const controller = new AbortController();
  return {
    stdin,
    stdout,
    stderr,
    env: {},
    root: process.cwd(),
    claimInterrupt: interruptClaims(controller.signal).claim,
    interactive: options.interactive ?? false,
    color: false,
    signal: controller.signal,
    controller,
    out: () => out,
    err: () => err,
    waitForOutput(pattern, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (!m) return false;
          clearTimeout(timer);
          stdout.off('data', listener);
          resolve(m);
          return true;
        };
        const listener = () => setImmediate(check);
        const timer = setTimeout(() => {
          stdout.off('data', listener);
          reject(new Error(`no output matching ${pattern} within ${ms} ms; the output was:\n${out}${err}`));
        }, ms);
        if (!check()) stdout.on('data', listener);
      });
    },
  };
}

/**
 * Runs fixtures/lifecycle.ts in a child process: it uses a tool, stops it and then must exit by
 * itself, which it cannot while any socket or timer is left. Returns how it ended.
 */
export function lifecycle(mode: 'proxy' | 'send' | 'session'): { status: number | null; signal: string | null; output: string } {
  const r = spawnSync(process.execPath, ['--import', TS_IMPORT, path.join(import.meta.dirname, 'fixtures', 'lifecycle.ts'), mode], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, signal: r.signal, output: r.stdout + r.stderr };
}
