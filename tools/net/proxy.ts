// The impairment proxy: listens on loopback, forwards each client's datagrams to one target
// through an upstream socket of that client's own (so the target sees one address per client and
// its replies can be told apart), and relays the replies back to the right client. Each direction
// goes through a Pipe that applies its impairments. It sends only to its target and its clients.
// Given several targets, it sends the datagrams to them in turn (round robin: each datagram,
// whichever client sent it, to the next target), through one upstream socket per client and
// target, so that several copies of a server can answer one client.

import dgram from 'node:dgram';
import { EndpointError, checkLoopback, familyOf, formatEndpoint, normaliseAddress, sameEndpoint, type Endpoint } from '../udp/address.ts';
import { Link, NO_IMPAIRMENTS, applyImpairments, type Fate, type Impairments, type LinkSettings } from './impairments.ts';
import { Pipe, realClock, type Counters } from './pipe.ts';

/** 'up': from a client to the target; 'down': from the target back to a client. */
export type Direction = 'up' | 'down';

export interface DatagramEvent {
  direction: Direction;
  /** The client the datagram came from (up) or goes to (down). */
  client: Endpoint;
  /** The target it goes to (up) or came from (down); the proxy always says. */
  target?: Endpoint;
  fate: Fate;
}

export type Notice =
  | { kind: 'client-new'; client: Endpoint; via: Endpoint; target: Endpoint }
  | { kind: 'client-gone'; client: Endpoint; why: 'idle' | 'evicted' }
  | { kind: 'refused'; client: Endpoint; message: string }
  | { kind: 'error'; message: string };

export interface ImpairmentChange {
  /** Both directions (applied first). */
  impairments?: Impairments;
  /** Towards the target. */
  up?: Impairments;
  /** Back to the clients. */
  down?: Impairments;
}

export interface ProxyOptions extends ImpairmentChange {
  /**
   * The server the proxy stands in front of: loopback only. Or several servers: the datagrams
   * then go to them in turn, the first to the first, the next to the second, and so on.
   */
  target: Endpoint | readonly Endpoint[];
  /** Where to listen (default 127.0.0.1, port 0: the OS chooses; read `proxy.address`). Loopback only. */
  listen?: Partial<Endpoint>;
  /** Fixes every random choice (default 1). */
  seed?: number;
  /** More clients than this evict the one idle the longest (default 256; with several targets, it counts each client once per target). */
  maxClients?: number;
  /** A client silent this long in both directions is forgotten and its socket closed (default 60 s). */
  idleTimeoutMs?: number;
  /** Datagrams that may wait in each direction at once (default 10,000). */
  maxInFlight?: number;
  /** Called for every datagram, when its fate is decided. */
  onDatagram?: (event: DatagramEvent) => void;
  onNotice?: (notice: Notice) => void;
  /** Aborting it stops the proxy. */
  signal?: AbortSignal;
}

export interface ProxyStats {
  up: Counters;
  down: Counters;
  clients: number;
  /** Datagrams the target's machine answered with "port unreachable" (nothing listening). */
  refused: number;
  /** For each target, in the order given: datagrams handed to it, and refused by it (the proxy always says). */
  targets?: TargetStats[];
}

export interface TargetStats {
  target: Endpoint;
  forwarded: number;
  refused: number;
}

/** A client, towards one target: with several targets, a client has one of these per target. */
interface Client {
  endpoint: Endpoint;
  /** Which of the targets its socket is connected to. */
  to: number;
  socket: dgram.Socket;
  connected: boolean;
  /** Datagrams due before the upstream socket was connected. */
  pending: Buffer[];
  lastSeen: number;
  closed: boolean;
}

const MAX_PENDING = 64;

export class ImpairmentProxy {
  /** Where the proxy listens: send here instead of to the target. */
  readonly address: Endpoint;
  /** The first target (the only one, unless several were given). */
  readonly target: Endpoint;
  readonly targets: readonly Endpoint[];
  readonly seed: number;
  private readonly listener: dgram.Socket;
  private readonly clients = new Map<string, Client>();
  private readonly up: Pipe<Client>;
  private readonly down: Pipe<Client>;
  private readonly options: ProxyOptions;
  private readonly sweeper: NodeJS.Timeout;
  private readonly perTarget: TargetStats[];
  /** The target the next datagram from a client goes to. */
  private turn = 0;
  private stopping: Promise<void> | undefined;
  private readonly onAbort = () => void this.stop();

  private constructor(listener: dgram.Socket, options: ProxyOptions) {
    this.listener = listener;
    const { address, port } = listener.address();
    this.address = { address: normaliseAddress(address), port };
    this.options = options;
    this.targets = targetsOf(options).map((t) => ({ address: normaliseAddress(t.address), port: t.port }));
    this.target = this.targets[0]!;
    this.perTarget = this.targets.map((target) => ({ target, forwarded: 0, refused: 0 }));
    this.seed = options.seed ?? 1;
    const epoch = realClock.now();
    const link = (stream: number, own: Impairments | undefined) =>
      new Link({ ...options.impairments, ...own }, { seed: this.seed, stream, epoch });
    const maxInFlight = options.maxInFlight;
    this.up = new Pipe({ link: link(0, options.up), maxInFlight, send: (data, client) => this.sendUp(data, client) });
    this.down = new Pipe({ link: link(1, options.down), maxInFlight, send: (data, client) => this.sendDown(data, client) });
    listener.on('message', (data, rinfo) => this.fromClient(data, rinfo));
    listener.on('error', (err) => this.notice({ kind: 'error', message: `listening socket: ${err.message}` }));
    const idle = options.idleTimeoutMs ?? 60_000;
    this.sweeper = setInterval(() => this.sweep(idle), Math.max(10, Math.min(idle / 2, 5000)));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Starts a proxy and resolves once it listens. Rejects (e.g. EADDRINUSE) without leaving a socket open. */
  static async start(options: ProxyOptions): Promise<ImpairmentProxy> {
    const targets = targetsOf(options);
    if (targets.length === 0) throw new EndpointError('The proxy needs a target to forward to.');
    for (const target of targets) checkLoopback(target, 'target');
    const listen = { address: options.listen?.address ?? '127.0.0.1', port: options.listen?.port ?? 0 };
    checkLoopback(listen, 'listen');
    // Throws a RangeError for an impairment out of range, before any socket exists.
    for (const own of [options.up, options.down]) applyImpairments(applyImpairments(NO_IMPAIRMENTS, options.impairments), own);
    const listener = dgram.createSocket(familyOf(listen.address));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', (err) => {
        listener.close();
        reject(err);
      });
      listener.bind(listen.port, listen.address, () => {
        listener.removeAllListeners('error');
        resolve();
      });
    });
    const proxy = new ImpairmentProxy(listener, options);
    if (targets.some((target) => sameEndpoint(proxy.address, target))) {
      await proxy.stop();
      // Forwarding to itself would loop for ever, a new client each time round.
      throw new EndpointError(`The proxy cannot forward to itself (${formatEndpoint(proxy.address.address, proxy.address.port)}): listen on another port.`);
    }
    if (options.signal?.aborted) await proxy.stop();
    return proxy;
  }

  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  stats(): ProxyStats {
    const copy = (c: Counters): Counters => ({ ...c, dropsBy: { ...c.dropsBy } });
    const clients = new Set([...this.clients.values()].map((c) => formatEndpoint(c.endpoint.address, c.endpoint.port))).size;
    const targets = this.perTarget.map((t) => ({ ...t }));
    const refused = targets.reduce((sum, t) => sum + t.refused, 0);
    return { up: copy(this.up.counters), down: copy(this.down.counters), clients, refused, targets };
  }

  settings(): { up: LinkSettings; down: LinkSettings } {
    return { up: { ...this.up.link.settings }, down: { ...this.down.link.settings } };
  }

  /** Changes the given impairments for the datagrams that arrive from now on; the rest stay. */
  configure(change: ImpairmentChange): void {
    const next = (link: Link, own: Impairments | undefined) => applyImpairments(applyImpairments(link.settings, change.impairments), own);
    const up = next(this.up.link, change.up);
    const down = next(this.down.link, change.down);
    this.up.link.configure(up);
    this.down.link.configure(down);
  }

  /** Stops forwarding, forgets what is waiting, and closes every socket; resolves when all are closed. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.options.signal?.removeEventListener('abort', this.onAbort);
      clearInterval(this.sweeper);
      this.up.close();
      this.down.close();
      const clients = [...this.clients.values()];
      this.clients.clear();
      await Promise.all([close(this.listener), ...clients.map((c) => this.closeClient(c))]);
    })();
    return this.stopping;
  }

  private fromClient(data: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.stopping) return;
    const to = this.turn;
    this.turn = (this.turn + 1) % this.targets.length;
    const key = `${rinfo.address}|${rinfo.port}|${to}`;
    const client = this.clients.get(key) ?? this.addClient(key, { address: normaliseAddress(rinfo.address), port: rinfo.port }, to);
    client.lastSeen = realClock.now();
    const fate = this.up.push(data, client);
    this.options.onDatagram?.({ direction: 'up', client: client.endpoint, target: this.targets[to]!, fate });
  }

  private fromTarget(client: Client, data: Buffer): void {
    if (this.stopping || client.closed) return;
    client.lastSeen = realClock.now();
    const fate = this.down.push(data, client);
    this.options.onDatagram?.({ direction: 'down', client: client.endpoint, target: this.targets[client.to]!, fate });
  }

  private addClient(key: string, endpoint: Endpoint, to: number): Client {
    if (this.clients.size >= (this.options.maxClients ?? 256)) {
      let oldest: [string, Client] | undefined;
      for (const entry of this.clients) if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) oldest = entry;
      if (oldest) this.forget(oldest[0], oldest[1], 'evicted');
    }
    const target = this.targets[to]!;
    const socket = dgram.createSocket(familyOf(target.address));
    const client: Client = { endpoint, to, socket, connected: false, pending: [], lastSeen: realClock.now(), closed: false };
    this.clients.set(key, client);
    // Connected to the target: it hears only the target, and learns when nothing listens there (FACTS 14).
    socket.on('message', (data) => this.fromTarget(client, data));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') {
        this.perTarget[to]!.refused++;
        const message = `nothing listens on ${formatEndpoint(target.address, target.port)} (the datagram from ${formatEndpoint(endpoint.address, endpoint.port)} was refused)`;
        this.notice({ kind: 'refused', client: endpoint, message });
      } else {
        this.notice({ kind: 'error', message: `upstream socket of ${formatEndpoint(endpoint.address, endpoint.port)}: ${err.message}` });
      }
    });
    const loopback = familyOf(target.address) === 'udp6' ? '::1' : '127.0.0.1';
    socket.bind(0, loopback, () => {
      if (client.closed) return;
      socket.connect(target.port, target.address, () => {
        if (client.closed) return;
        client.connected = true;
        const { address, port } = socket.address();
        this.notice({ kind: 'client-new', client: endpoint, via: { address, port }, target });
        for (const data of client.pending.splice(0)) this.sendUp(data, client);
      });
    });
    return client;
  }

  private sendUp(data: Buffer, client: Client): boolean {
    if (client.closed) return false;
    if (!client.connected) {
      if (client.pending.length >= MAX_PENDING) return false;
      client.pending.push(data);
      return true;
    }
    client.socket.send(data, (err) => {
      if (err) this.notice({ kind: 'error', message: `sending to the target: ${err.message}` });
    });
    this.perTarget[client.to]!.forwarded++;
    return true;
  }

  private sendDown(data: Buffer, client: Client): boolean {
    if (this.stopping) return false;
    const { address, port } = client.endpoint;
    this.listener.send(data, port, address, (err) => {
      if (err) this.notice({ kind: 'error', message: `sending to ${formatEndpoint(address, port)}: ${err.message}` });
    });
    return true;
  }

  private sweep(idleMs: number): void {
    const now = realClock.now();
    for (const [key, client] of this.clients) if (now - client.lastSeen >= idleMs) this.forget(key, client, 'idle');
  }

  private forget(key: string, client: Client, why: 'idle' | 'evicted'): void {
    this.clients.delete(key);
    void this.closeClient(client);
    this.notice({ kind: 'client-gone', client: client.endpoint, why });
  }

  private closeClient(client: Client): Promise<void> {
    client.closed = true;
    client.pending = [];
    return close(client.socket);
  }

  private notice(notice: Notice): void {
    this.options.onNotice?.(notice);
  }
}

function targetsOf(options: ProxyOptions): readonly Endpoint[] {
  return Array.isArray(options.target) ? options.target : [options.target as Endpoint];
}

/** Starts an impairment proxy (see ProxyOptions); `await proxy.stop()` when done. */
export function startProxy(options: ProxyOptions): Promise<ImpairmentProxy> {
  return ImpairmentProxy.start(options);
}

function close(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
