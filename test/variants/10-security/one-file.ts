// A correct lab 10 server written differently, in one file: a class, a GCRA
// ("generic cell rate algorithm") instead of a token bucket, an interval timer
// for the summary, escaping by regular expression over latin1 text, and the
// address normalised with node:net, and quotations of its own. GCRA keeps one number per address, the
// "theoretical arrival time" (TAT), and lets a request through when it is not
// earlier than TAT - burst × interval; it lets through exactly what a token
// bucket of the same rate and burst does.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv4 } from 'node:net';
import { parseArgs } from 'node:util';

const QUOTES = [
  'It is a truth universally acknowledged, that a single man in possession of a good fortune, ' +
    'must be in want of a wife. However little known the feelings or views of such a man may be on ' +
    'his first entering a neighbourhood, this truth is so well fixed in the minds of the surrounding ' +
    'families, that he is considered as the rightful property of some one or other of their ' +
    'daughters. -- Jane Austen, Pride and Prejudice (1813)',
  'Call me Ishmael. Some years ago -- never mind how long precisely -- having little or no money in ' +
    'my purse, and nothing particular to interest me on shore, I thought I would sail about a little ' +
    'and see the watery part of the world. -- Herman Melville, Moby-Dick (1851)',
];

const { values: v } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    secret: { type: 'string' },
    rate: { type: 'string', default: '5' },
    burst: { type: 'string', default: '10' },
    'max-sources': { type: 'string', default: '10000' },
    'cookie-lifetime': { type: 'string', default: '60' },
    'summary-interval': { type: 'string', default: '1' },
  },
});

function positive(name: keyof typeof v, atLeast = 0): number {
  const n = Number(v[name]);
  if (Number.isFinite(n) && n > 0 && n >= atLeast) return n;
  console.error(`--${name}: expected a positive number, got ${v[name]}`);
  process.exit(2);
}

const port = Number(v.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected 0 to 65535, got ${v.port}`);
  process.exit(2);
}

class QuoteService {
  private readonly tat = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private sample = '';
  private quote = 0;
  private readonly secret = v.secret ?? randomBytes(16).toString('base64');
  private readonly interval = 1000 / positive('rate');
  private readonly tolerance = this.interval * positive('burst', 1);
  private readonly maxSources = Math.floor(positive('max-sources', 1));
  private readonly lifetime = positive('cookie-lifetime') * 1000;
  private readonly socket = dgram.createSocket(v.host.includes(':') ? 'udp6' : 'udp4');
  private readonly timer = setInterval(() => this.report(), positive('summary-interval') * 1000);

  constructor() {
    this.socket.on('message', (msg, rinfo) => this.handle(msg, rinfo));
    this.socket.on('error', (err) => this.log(`socket: ${err.message}`));
  }

  start(): void {
    this.socket.once('error', (err: NodeJS.ErrnoException) => {
      console.error(`cannot listen on ${v.host}:${port}: ${err.code ?? err.message}`);
      this.stop();
      process.exitCode = 1;
    });
    this.socket.bind(port, v.host, () => {
      const a = this.socket.address();
      console.log(`UDP server listening on ${a.address}:${a.port}`);
    });
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => this.stop());
  }

  stop(): void {
    this.report();
    clearInterval(this.timer);
    this.socket.close();
  }

  private handle(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const mapped = rinfo.address.toLowerCase().startsWith('::ffff:') ? rinfo.address.slice(7) : '';
    const address = isIPv4(mapped) ? mapped : rinfo.address;
    if (msg.length > 512) return this.count('oversized');
    if (!this.admit(address)) return this.count('rate-limited');
    const [, token] = /^QUOTE(?: ([!-~]+))? *$/.exec(msg.toString('latin1')) ?? [];
    let reply: string;
    let proven = false;
    if (!/^QUOTE(?: [!-~]+)? *$/.test(msg.toString('latin1'))) {
      this.count('malformed');
      this.sample = `${address}:${rinfo.port} ${this.escape(msg)}`;
      reply = 'ERR';
    } else if (token !== undefined && this.valid(token, address, rinfo.port)) {
      reply = QUOTES[this.quote++ % QUOTES.length]!;
      proven = true;
    } else {
      reply = `COOKIE ${this.cookie(address, rinfo.port, this.window())}`;
    }
    if (!proven && Buffer.byteLength(reply, 'latin1') > msg.length) return this.count('too short');
    this.socket.send(Buffer.from(reply, 'latin1'), rinfo.port, rinfo.address, (err) => {
      if (err) this.log(`cannot answer ${address}:${rinfo.port}: ${err.message}`);
    });
  }

  /** GCRA: one timestamp per address, kept in a Map ordered from least to most recently seen. */
  private admit(address: string): boolean {
    const now = performance.now();
    const tat = Math.max(this.tat.get(address) ?? now, now);
    this.tat.delete(address);
    const allowed = tat - now <= this.tolerance - this.interval;
    this.tat.set(address, allowed ? tat + this.interval : tat);
    for (const oldest of this.tat.keys()) {
      if (this.tat.size <= this.maxSources) break;
      this.tat.delete(oldest);
    }
    return allowed;
  }

  private window(): number {
    return Math.floor(Date.now() / this.lifetime);
  }

  private cookie(address: string, p: number, window: number): string {
    return createHmac('sha256', this.secret).update(`${window}/${address}/${p}`).digest('base64url');
  }

  private valid(token: string, address: string, p: number): boolean {
    const given = Buffer.from(token, 'latin1');
    return [this.window(), this.window() - 1].some((w) => {
      const wanted = Buffer.from(this.cookie(address, p, w), 'latin1');
      return wanted.length === given.length && timingSafeEqual(wanted, given);
    });
  }

  private escape(msg: Buffer): string {
    return JSON.stringify(msg.subarray(0, 32).toString('latin1').replace(/[^ -~]/g, (c) => `<${c.charCodeAt(0)}>`));
  }

  private count(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }

  private report(): void {
    if (this.counts.size === 0) return;
    const parts = [...this.counts].map(([what, n]) => `${n} ${what}`);
    this.log(`dropped or refused: ${parts.join(', ')}${this.sample ? `; last malformed from ${this.sample}` : ''}`);
    this.counts.clear();
    this.sample = '';
  }

  private log(text: string): void {
    console.error(`[${new Date().toISOString()}] ${text}`);
  }
}

new QuoteService().start();
