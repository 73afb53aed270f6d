// Lesson 07's sockets on the checker's side: loopback broadcast (127.255.255.255), and only that.
//   - broadcastMissing(): why this system cannot broadcast on loopback (macOS), or undefined;
//   - Listener: a socket that may share a port (reuseAddr) and send broadcasts, with an inbox;
//   - StandIns: discovery servers played by the checker, for the learner's discover(): each one
//     answers the n-th probe of a client as its script says, so that losses, late replies,
//     duplicates, malformed and forged replies come in a known order.
// Every socket is tracked (closed after the test or the file) and every send has a callback.
// Stand-ins are bound to 127.255.255.255, not 0.0.0.0: they hear broadcasts on loopback and
// nothing from any other network, and they answer only senders in 127.0.0.0/8.

import dgram from 'node:dgram';
import { CheckFailure, describePayload, formatEndpoint, track, type Endpoint, type Scope } from '../../../tools/harness/index.ts';

export const BROADCAST = '127.255.255.255';
export const PROBE = 'DISCOVER';
const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface Heard {
  data: Buffer;
  address: string;
  port: number;
  /** performance.now() when it arrived. */
  at: number;
}

/** Binds a udp4 socket; rejects with the bind error (EADDRINUSE, EADDRNOTAVAIL…). */
function bound(address: string, port: number, reuseAddr: boolean): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr });
  return new Promise((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => {}); // ICMP and the like: nothing a check waits for
      resolve(socket);
    });
  });
}

const closer = (socket: dgram.Socket) => () =>
  new Promise<void>((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });

function sendOn(socket: dgram.Socket, data: Buffer | string, to: Endpoint): Promise<void> {
  if (!LOOPBACK.test(to.address)) throw new Error(`the checker sends only to 127.0.0.0/8, not to ${to.address}`);
  const payload = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return new Promise((resolve, reject) => {
    socket.send(payload, to.port, to.address, (err) => {
      if (!err) return resolve();
      reject(new CheckFailure({ summary: `The checker could not send ${describePayload(payload)} to ${formatEndpoint(to.address, to.port)}: ${err.message}.` }));
    });
  });
}

/** A socket of the checker's with an inbox: a client that broadcasts, or a listener that watches a port. */
export class Listener {
  readonly socket: dgram.Socket;
  readonly inbox: Heard[] = [];
  /** Everything it has received, taken or not. */
  readonly heard: Heard[] = [];
  private wake: (() => void) | undefined;

  private constructor(socket: dgram.Socket) {
    this.socket = socket;
    socket.on('message', (data, rinfo) => {
      const d = { data, address: rinfo.address, port: rinfo.port, at: performance.now() };
      this.inbox.push(d);
      this.heard.push(d);
      this.wake?.();
    });
  }

  /** A socket bound to `address`:`port` (0: any free port); `reuseAddr` to share a port. */
  static async open(address = '127.0.0.1', port = 0, { reuseAddr = false, scope = 'test' as Scope } = {}): Promise<Listener> {
    const socket = await bound(address, port, reuseAddr);
    track(closer(socket), scope);
    socket.setBroadcast(true);
    return new Listener(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  get endpoint(): string {
    return formatEndpoint(this.socket.address().address, this.port);
  }

  send(data: Buffer | string, to: Endpoint): Promise<void> {
    return sendOn(this.socket, data, to);
  }

  /** Waits until `done(inbox)` holds or `ms` pass; returns whether it holds. */
  async until(done: (inbox: readonly Heard[]) => boolean, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!done(this.inbox)) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.wake?.(), left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
    return true;
  }
}

let support: Promise<string | undefined> | undefined;

/**
 * Why broadcast on loopback cannot be checked here, or undefined where it works (Linux). macOS's
 * lo0 has no broadcast address, and macOS 15 refuses broadcasts without Local Network permission
 * (EHOSTUNREACH): one datagram to 127.255.255.255 tells.
 */
export function broadcastMissing(): Promise<string | undefined> {
  support ??= (async () => {
    const why = (detail: string) => `no broadcast on loopback here (${detail}): lesson 07 is checked on Linux; macOS's lo0 has no broadcast address`;
    let listener: Listener;
    try {
      listener = await Listener.open(BROADCAST, 0, { scope: 'file' });
    } catch (err) {
      return why(`binding ${BROADCAST}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      const sender = await Listener.open('127.0.0.1', 0, { scope: 'file' });
      await sender.send('is there loopback broadcast?', { address: BROADCAST, port: listener.port });
    } catch (err) {
      return why(`sending to ${BROADCAST}: ${err instanceof CheckFailure ? err.details.summary : (err as Error).message}`);
    }
    return (await listener.until((inbox) => inbox.length > 0, 500)) ? undefined : why(`a datagram to ${BROADCAST} never arrived`);
  })();
  return support;
}

/** What a stand-in does for a probe: each datagram, how long after the probe, and from which socket. */
export interface Answer {
  data: Buffer | string;
  afterMs: number;
  /** From another port than the discovery port: a forgery. */
  forged?: boolean;
}

export interface StandIn {
  name: string;
  /** The answers to a client's n-th probe (n from 1). */
  answer: (n: number) => Answer[];
}

/** The checker's own discovery servers, all on one port of 127.255.255.255. */
export class StandIns {
  readonly port: number;
  /** The probes heard (by the first stand-in: all of them hear the same broadcasts). */
  readonly probes: Heard[] = [];
  /** Anything else that reached the port. */
  readonly others: Heard[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(port: number) {
    this.port = port;
  }

  static async open(standIns: readonly StandIn[], scope: Scope = 'file'): Promise<StandIns> {
    const sockets: dgram.Socket[] = [];
    let port = 0;
    for (let i = 0; i < Math.max(1, standIns.length); i++) {
      const socket = await bound(BROADCAST, port, true);
      track(closer(socket), scope);
      port = socket.address().port;
      sockets.push(socket);
    }
    const forger = await bound('127.0.0.1', 0, false);
    track(closer(forger), scope);
    const stand = new StandIns(port);
    track(() => stand.stop(), scope);
    const counts = new Map<string, number>();
    sockets.forEach((socket, i) => {
      const who = standIns[i];
      socket.on('message', (data, rinfo) => {
        if (!LOOPBACK.test(rinfo.address)) return; // nobody outside this machine is answered
        const heard = { data, address: rinfo.address, port: rinfo.port, at: performance.now() };
        const isProbe = data.equals(Buffer.from(PROBE));
        if (i === 0) (isProbe ? stand.probes : stand.others).push(heard);
        if (!isProbe || !who) return;
        const key = `${who.name} ${rinfo.address}:${rinfo.port}`;
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        for (const a of who.answer(n)) {
          const timer = setTimeout(() => {
            stand.timers.delete(timer);
            sendOn(a.forged ? forger : socket, a.data, rinfo).catch(() => {});
          }, a.afterMs);
          stand.timers.add(timer);
        }
      });
    });
    return stand;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
