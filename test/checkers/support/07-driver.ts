// Lesson 07's driver: runs in the probe process (tools/harness/probe-child.ts), where the
// learner's discover() runs, and calls it for the checker (probe.call('discover', [options])).
//
// It also watches every datagram the learner's code sends, from the moment this module loads:
// where to, how large, and when (milliseconds after the call began), so that the checker can say
// "your 3 probes went out 0.1 ms apart" instead of guessing from what arrived. And it refuses
// any send or connect to an address outside 127.0.0.0/8 and ::1 — 255.255.255.255 above all,
// which would leave the machine: the datagram is not sent, the send's callback gets an error,
// and the checker is told. The datagrams that are sent are sent by dgram itself, unchanged.

import dgram from 'node:dgram';

export interface Sent {
  /** Milliseconds after the call began. */
  at: number;
  address: string;
  port: number;
  /** The payload as latin1 text, at most 80 characters. */
  text: string;
  size: number;
  /** The checker stopped it: the address is not this machine's. */
  refused: boolean;
}

const LOCAL = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;
let current: { sends: Sent[]; started: number } | undefined;
/** The call a socket sent its first datagram in: a timer left running by one call must not count in the next. */
const owner = new WeakMap<object, { sends: Sent[]; started: number }>();

type Send = (this: dgram.Socket, ...args: unknown[]) => void;
const proto = dgram.Socket.prototype as unknown as { send: Send; connect: Send };
const originalSend = proto.send;
const originalConnect = proto.connect;

function refusal(address: string): Error {
  return Object.assign(new Error(`the checker refused to send to ${address}: it is not this machine (the workbook sends only to 127.0.0.0/8)`), {
    code: 'EREFUSED',
  });
}

/** Where a send goes, read as dgram.Socket.prototype.send reads its arguments. */
function destination(socket: dgram.Socket, args: unknown[]): { address: string; port: number; callback?: (err: Error | null) => void } {
  const callback = [...args].reverse().find((a) => typeof a === 'function') as ((err: Error | null) => void) | undefined;
  let remote: { address: string; port: number } | undefined;
  try {
    remote = socket.remoteAddress();
  } catch {
    remote = undefined; // not connected
  }
  if (remote) return { ...remote, callback };
  const [, offset, length, port, address] = args;
  const long = Boolean(address) || (Boolean(port) && typeof port !== 'function');
  const to = long ? { port, address } : { port: offset, address: length };
  return {
    port: Number(to.port),
    address: typeof to.address === 'string' ? to.address : '127.0.0.1',
    callback,
  };
}

proto.send = function (this: dgram.Socket, ...args: unknown[]) {
  const { address, port, callback } = destination(this, args);
  const call = owner.get(this) ?? current;
  if (call && !owner.has(this)) owner.set(this, call);
  const data = args[0];
  const bytes = Buffer.isBuffer(data) ? data : typeof data === 'string' ? Buffer.from(data) : Buffer.alloc(0);
  const refused = !LOCAL.test(address);
  call?.sends.push({
    at: Math.round((performance.now() - call.started) * 10) / 10,
    address,
    port,
    text: bytes.subarray(0, 80).toString('latin1'),
    size: bytes.length,
    refused,
  });
  if (!refused) return originalSend.apply(this, args);
  if (callback) process.nextTick(() => callback(refusal(address)));
};

proto.connect = function (this: dgram.Socket, ...args: unknown[]) {
  const [port, address] = args;
  if (typeof address === 'string' && !LOCAL.test(address)) {
    current?.sends.push({ at: 0, address, port: Number(port), text: '(connect)', size: 0, refused: true });
    throw refusal(address);
  }
  return originalConnect.apply(this, args);
};

export type DriverResult =
  | { missing: true }
  | { settled: 'resolved'; value: unknown; ms: number; sends: Sent[] }
  | { settled: 'rejected'; error: { name: string; message: string; code?: string }; ms: number; sends: Sent[] };

/** Calls lab.discover(options); resolves with how it settled and what it sent. */
export async function discover(lab: Record<string, unknown>, options: unknown): Promise<DriverResult> {
  if (typeof lab.discover !== 'function') return { missing: true };
  const call = { sends: [] as Sent[], started: performance.now() };
  current = call;
  const ms = () => Math.round(performance.now() - call.started);
  try {
    const value: unknown = await (lab.discover as (o: unknown) => Promise<unknown>)(options);
    return { settled: 'resolved', value, ms: ms(), sends: call.sends };
  } catch (err) {
    const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
    const error = {
      name: typeof e.name === 'string' ? e.name : typeof err,
      message: typeof e.message === 'string' ? e.message : String(err),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
    };
    return { settled: 'rejected', error, ms: ms(), sends: call.sends };
  } finally {
    if (current === call) current = undefined;
  }
}

/** Loads the lab (the probe imports it before the first call): nothing else. */
export function ready(lab: Record<string, unknown>): boolean {
  return typeof lab.discover === 'function';
}
