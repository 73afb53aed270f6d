// Checker for lab 01: request(host, port, payload, { timeoutMs }). The lab is a function, not a
// server, so the checker imports it and plays the server itself with real sockets on loopback.

import { spawn } from 'node:child_process';
import { describe, it } from 'vitest';
import {
  CheckFailure,
  TSX_IMPORT,
  UdpClient,
  describePayload,
  importLab,
  labPath,
  summariseCrash,
  type Datagram,
} from '../../tools/harness/index.ts';

type Request = (host: string, port: number, payload: Buffer | string, options?: { timeoutMs?: number }) => Promise<Buffer>;
const SLUG = '01-udp-vs-tcp';

async function labRequest(): Promise<Request> {
  const lab = await importLab<{ request?: Request }>(SLUG, 'request.ts');
  if (typeof lab.request !== 'function') {
    throw new CheckFailure({
      summary: 'labs/01-udp-vs-tcp/request.ts does not export a function named request.',
      hint: 'Keep the starter\'s `export async function request(...)` signature.',
    });
  }
  return lab.request;
}

type Outcome = { settled: 'resolved'; value: Buffer } | { settled: 'rejected'; error: Error & { code?: string } } | { settled: 'pending' };

/** How the promise settles within `ms`, without ever throwing. */
async function outcome(start: () => Promise<Buffer>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ settled: 'pending' }), ms)));
  const settled = Promise.resolve()
    .then(start)
    .then(
      (value): Outcome => ({ settled: 'resolved', value }),
      (error: Error): Outcome => ({ settled: 'rejected', error }),
    );
  const result = await Promise.race([settled, pending]);
  clearTimeout(timer);
  return result;
}

function describeOutcome(o: Outcome, pendingMs: number): string {
  if (o.settled === 'pending') return `still waiting after ${pendingMs} ms`;
  if (o.settled === 'resolved') return `resolved with ${Buffer.isBuffer(o.value) ? describePayload(o.value) : `a ${typeof o.value}, not a Buffer`}`;
  return `rejected with ${o.error?.name ?? 'Error'}: ${o.error?.message ?? String(o.error)}`;
}

interface ProbeRun {
  /** How request() settled in the probe, if it did. */
  result?: { settled: 'resolved' | 'rejected'; buffer?: boolean; name?: string; code?: string; message?: string; ms: number };
  /** The resources still open in the probe 300 ms after request() settled. */
  open?: string[];
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs request() in a process of its own (support/request-probe.ts), so that a socket it leaves
 * open, or a crash, belongs to this request and nothing else. `serve` plays the server meanwhile.
 */
async function probe(port: number, payload: string, timeoutMs: number, serve?: () => Promise<void>): Promise<ProbeRun> {
  const script = new URL('./support/request-probe.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', TSX_IMPORT, script, labPath(SLUG, 'request.ts'), String(port), payload, String(timeoutMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    void serve?.().catch(() => child.kill('SIGKILL'));
  });
  const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    result: lines.find((l) => 'settled' in l) as ProbeRun['result'],
    open: (lines.find((l) => 'open' in l) as { open?: string[] } | undefined)?.open,
    exitCode,
    stderr,
  };
}

/** Fails unless the probe's request() left no UDP socket open. */
function expectSocketClosed(run: ProbeRun, after: string): void {
  const sockets = (run.open ?? []).filter((r) => /^udpwrap$/i.test(r)).length;
  if (run.open && sockets === 0) return;
  throw new CheckFailure({
    summary: `request() left its socket open after ${after}.`,
    expected: 'no UDP socket still open once request() has settled',
    got: run.open ? `${sockets} UDP socket${sockets === 1 ? '' : 's'} still open 300 ms later` : `the program stopped before it could be asked (exit code ${run.exitCode})`,
    log: run.stderr ? summariseCrash(run.stderr.trim().split('\n')).lines.slice(0, 6) : undefined,
    hint: 'Call socket.close() on every way out: after the reply, after the timeout, and after an error. An open socket keeps the program from exiting.',
  });
}

function describeRun(run: ProbeRun): string {
  const r = run.result;
  if (!r) return run.exitCode === 0 ? 'it never settled' : `the program ended with exit code ${run.exitCode} before request() settled`;
  if (r.settled === 'resolved') return `resolved with ${r.buffer ? 'a Buffer' : 'something that is not a Buffer'} after ${r.ms} ms`;
  return `rejected with ${r.name ?? 'Error'}${r.code ? ` (${r.code})` : ''}: ${r.message ?? ''}, after ${r.ms} ms`;
}

/** The checker's stand-in server: receives the request, then lets the test decide the reply. */
async function stubServer(): Promise<UdpClient> {
  return UdpClient.open('127.0.0.1');
}

/** The request as the stand-in server received it; fails if request() gave up or sent nothing. */
async function awaitRequest(server: UdpClient, sent: string, pending: Promise<Outcome>): Promise<Datagram> {
  const req = await Promise.race([server.receive(2000), pending]);
  if (req && 'settled' in req) {
    throw new CheckFailure({
      summary: 'request() finished before it sent anything.',
      sent: `request('127.0.0.1', ${server.port}, ${sent})`,
      expected: `a datagram ${sent} arriving at 127.0.0.1:${server.port}, then a wait for the reply`,
      got: describeOutcome(req, 3000),
      hint: 'Send the payload with socket.send(payload, port, host, callback), then wait for the reply.',
    });
  }
  if (!req) {
    throw new CheckFailure({
      summary: 'request() sent nothing to the server.',
      sent: `request('127.0.0.1', ${server.port}, ${sent})`,
      expected: `a datagram ${sent} arriving at 127.0.0.1:${server.port}`,
      got: 'nothing within 2000 ms',
      hint: 'Send the payload with socket.send(payload, port, host, callback).',
    });
  }
  return req;
}

describe('lab 01: request() over UDP', () => {
  it('sends the payload and resolves with the reply as a Buffer', async () => {
    const request = await labRequest();
    const server = await stubServer();
    const pending = outcome(() => request('127.0.0.1', server.port, 'hello', { timeoutMs: 2000 }), 3000);
    const req = await awaitRequest(server, '"hello"', pending);
    if (req.data.toString('utf8') !== 'hello') {
      throw new CheckFailure({
        summary: 'The server received something other than the payload.',
        expected: describePayload('hello'),
        got: describePayload(req.data),
        hint: "Send the payload as it is: Buffer.from(text, 'utf8') for a string, the Buffer itself otherwise.",
      });
    }
    await server.send('world', req);
    const o = await pending;
    if (o.settled !== 'resolved' || !Buffer.isBuffer(o.value) || o.value.toString('utf8') !== 'world') {
      throw new CheckFailure({
        summary: 'request() did not resolve with the reply.',
        sent: `request('127.0.0.1', ${server.port}, 'hello'); the server replied "world" from 127.0.0.1:${server.port}`,
        expected: `resolved with ${describePayload('world')}, a Buffer`,
        got: describeOutcome(o, 3000),
        hint: "Resolve with `msg`, the Buffer the 'message' handler receives, not a string.",
      });
    }
  });

  it('rejects with a TimeoutError when no reply comes in time', async () => {
    const request = await labRequest();
    const server = await stubServer(); // receives, never answers
    const t0 = performance.now();
    const o = await outcome(() => request('127.0.0.1', server.port, 'anyone?', { timeoutMs: 300 }), 3000);
    const elapsed = Math.round(performance.now() - t0);
    const ok = o.settled === 'rejected' && o.error?.name === 'TimeoutError' && elapsed >= 290;
    if (!ok) {
      throw new CheckFailure({
        summary: 'A request that gets no reply must end with a TimeoutError after timeoutMs.',
        sent: `request('127.0.0.1', ${server.port}, 'anyone?', { timeoutMs: 300 }) to a server that never answers`,
        expected: 'rejected with an error whose name is "TimeoutError", after about 300 ms',
        got: `${describeOutcome(o, 3000)}${o.settled === 'pending' ? '' : ` after ${elapsed} ms`}`,
        hint:
          o.settled === 'pending'
            ? 'Start a timer with setTimeout(..., timeoutMs) and reject when it fires: UDP never says that nobody answered.'
            : 'Reject with the starter\'s TimeoutError class (its name is "TimeoutError"), from a setTimeout of timeoutMs.',
      });
    }
  });

  it('closes its socket after a reply', async () => {
    const server = await stubServer();
    const run = await probe(server.port, 'ping', 2000, async () => {
      const req = await server.receive(5000);
      if (req) await server.send('pong', req);
    });
    if (run.result?.settled !== 'resolved') {
      throw new CheckFailure({
        summary: 'request() did not resolve with the reply.',
        sent: `request('127.0.0.1', ${server.port}, 'ping'); the server replied "pong"`,
        expected: 'resolved with the reply',
        got: describeRun(run),
      });
    }
    expectSocketClosed(run, 'a reply');
  });

  it('closes its socket after a timeout', async () => {
    const server = await stubServer(); // receives, never answers
    const run = await probe(server.port, 'anyone?', 200);
    if (run.result?.settled !== 'rejected' || run.result.name !== 'TimeoutError') {
      throw new CheckFailure({
        summary: 'request() did not end with a TimeoutError when no reply came.',
        sent: `request('127.0.0.1', ${server.port}, 'anyone?', { timeoutMs: 200 }) to a server that never answers`,
        expected: 'rejected with a TimeoutError after about 200 ms',
        got: describeRun(run),
      });
    }
    expectSocketClosed(run, 'a timeout');
  });

  it('rejects at once, and closes its socket, when the send fails', async () => {
    const server = await stubServer();
    // One byte over the IPv4 maximum: the send fails with EMSGSIZE.
    const run = await probe(server.port, 'big:65508', 5000);
    const r = run.result;
    const sendError = r?.settled === 'rejected' && (r.code === 'EMSGSIZE' || /EMSGSIZE/.test(String(r.message))) && r.ms < 2000;
    if (!sendError) {
      throw new CheckFailure({
        summary: 'A send that fails must reject the request straight away.',
        sent: `request('127.0.0.1', ${server.port}, <65,508 bytes>, { timeoutMs: 5000 }): one byte over UDP's IPv4 maximum`,
        expected: 'rejected with the send error (code EMSGSIZE) at once',
        got: describeRun(run),
        hint: "Send errors are reported only to socket.send's callback: `(err) => { if (err) ...reject(err) }`.",
      });
    }
    expectSocketClosed(run, 'a failed send');
  });

  it('ignores a datagram from another port', async () => {
    const request = await labRequest();
    const server = await stubServer();
    const stranger = await UdpClient.open('127.0.0.1');
    const pending = outcome(() => request('127.0.0.1', server.port, 'question', { timeoutMs: 2000 }), 3000);
    const req = await awaitRequest(server, '"question"', pending);
    await stranger.send('decoy', req); // from 127.0.0.1 but another port, before the real reply
    await server.send('answer', req);
    const o = await pending;
    if (o.settled !== 'resolved' || o.value.toString('utf8') !== 'answer') {
      throw new CheckFailure({
        summary: 'request() took a datagram from a stranger as the reply.',
        sent: `request('127.0.0.1', ${server.port}, 'question'); then "decoy" from ${stranger.endpoint}, then "answer" from 127.0.0.1:${server.port}`,
        expected: `resolved with "answer" (5 B), the datagram from 127.0.0.1:${server.port}`,
        got: describeOutcome(o, 3000),
        hint: "Anyone can send to your port. In the 'message' handler, compare rinfo.port (and rinfo.address) with where you sent the request, and ignore anything else.",
      });
    }
  });

  it('ignores a datagram from another address on the same port', async (ctx) => {
    const request = await labRequest();
    const server = await stubServer();
    let stranger: UdpClient;
    try {
      stranger = await UdpClient.open('127.0.0.2'); // Linux has all of 127.0.0.0/8 on loopback
    } catch {
      return ctx.skip('this system has no 127.0.0.2 (macOS); the address filter is not checked here');
    }
    // Rebind the stranger on the server's port number, at the other address.
    await stranger.close();
    stranger = await UdpClient.openAt('127.0.0.2', server.port).catch(() => stranger);
    const pending = outcome(() => request('127.0.0.1', server.port, 'question', { timeoutMs: 2000 }), 3000);
    const req = await awaitRequest(server, '"question"', pending);
    await stranger.send('decoy', req);
    await server.send('answer', req);
    const o = await pending;
    if (o.settled !== 'resolved' || o.value.toString('utf8') !== 'answer') {
      throw new CheckFailure({
        summary: 'request() took a datagram from another address as the reply.',
        sent: `request('127.0.0.1', ${server.port}, 'question'); then "decoy" from ${stranger.endpoint}, then "answer" from 127.0.0.1:${server.port}`,
        expected: `resolved with "answer" (5 B), the datagram from 127.0.0.1:${server.port}`,
        got: describeOutcome(o, 3000),
        hint: 'Checking the port is not enough: another machine (or address) can use the same port number. Compare rinfo.address too.',
      });
    }
  });

  it('sends and receives a zero-length datagram', async () => {
    const request = await labRequest();
    const server = await stubServer();
    const pending = outcome(() => request('127.0.0.1', server.port, Buffer.alloc(0), { timeoutMs: 2000 }), 3000);
    const req = await awaitRequest(server, 'an empty datagram', pending);
    await server.send(Buffer.alloc(0), req);
    const o = await pending;
    if (o.settled !== 'resolved' || o.value.length !== 0) {
      throw new CheckFailure({
        summary: 'An empty reply is a reply.',
        sent: `an empty payload; the server answered with an empty datagram (${describePayload(req.data)} arrived)`,
        expected: 'resolved with an empty Buffer',
        got: describeOutcome(o, 3000),
        hint: 'Zero-length datagrams are delivered: msg.length is 0. Look for a test such as `if (!msg.length)` or `if (msg.toString())` that skips them.',
      });
    }
  });

  it('keeps binary payloads byte for byte', async () => {
    const request = await labRequest();
    const server = await stubServer();
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const pending = outcome(() => request('127.0.0.1', server.port, bytes, { timeoutMs: 2000 }), 3000);
    const req = await awaitRequest(server, 'the 256 byte values 00…ff', pending);
    await server.send(Buffer.from(bytes).reverse(), req);
    const o = await pending;
    if (!req.data.equals(bytes) || o.settled !== 'resolved' || !o.value.equals(Buffer.from(bytes).reverse())) {
      throw new CheckFailure({
        summary: 'Binary data was changed on the way.',
        sent: `the 256 byte values 00…ff; the server received ${describePayload(req.data)} and replied with them reversed`,
        expected: 'the server receives the 256 bytes unchanged, and request() resolves with the reversed 256 bytes',
        got: describeOutcome(o, 3000),
        hint: 'Pass Buffers through as they are. Turning bytes into a string and back (toString/Buffer.from) damages anything that is not valid UTF-8.',
      });
    }
  });

  it('does not crash the program when the port is closed (ICMP port unreachable)', async () => {
    const gone = await UdpClient.open();
    const closedPort = gone.port;
    await gone.close(); // nothing listens there now: the kernel answers with ICMP "port unreachable"
    const run = await probe(closedPort, 'is anyone there?', 300);
    const r = run.result;
    const fine = r?.settled === 'rejected' && (r.name === 'TimeoutError' || r.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(r.message)));
    if (run.exitCode !== 0 || !fine) {
      const crashed = run.exitCode !== 0;
      throw new CheckFailure({
        summary: crashed
          ? `request() crashed the program (exit code ${run.exitCode}) when nothing listened on the port.`
          : 'request() should reject when nothing listens on the port.',
        sent: `request('127.0.0.1', ${closedPort}, 'is anyone there?', { timeoutMs: 300 }), to a port where nothing listens`,
        expected: 'rejected (with a TimeoutError, or with the ECONNREFUSED error), and the program keeps running',
        got: crashed ? summariseCrash(run.stderr.trim().split('\n')).lines.slice(0, 8).join('\n') : describeRun(run),
        hint: "A connected socket reports the ICMP 'port unreachable' as an 'error' event (ECONNREFUSED). With no 'error' listener, that event ends the program: listen for it and reject.",
      });
    }
  });
});
