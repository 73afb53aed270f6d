// Checker for lab 01: request(host, port, payload, { timeoutMs }). The lab is a function, not a
// server: the checker plays the server itself with real sockets on loopback, and calls the
// learner's request() in a probe, a process of its own (tools/harness/probe.ts), so that a
// socket it leaves open, an endless loop or a crash belongs to that call and nothing else.
// In the probe, "localhost" resolves as on a system that lists ::1 first (support/01-driver.ts).

import { describe, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  describePayload,
  describeUnsettled,
  labProbe,
  type Datagram,
  type ProbeOutcome,
  type SkipContext,
} from '../../tools/harness/index.ts';

const SLUG = '01-udp-vs-tcp';
const probe = labProbe(SLUG, 'request.ts', { driver: new URL('./support/01-driver.ts', import.meta.url) });

/** Longer than any call may take (its time limit, plus the probe's start-up): the call's own end comes first. */
const SEND_WAIT_MS = 20_000;

interface Call {
  /** How the call went. */
  outcome: Promise<ProbeOutcome>;
  /** What the call looks like in a message. */
  shown: string;
}

/**
 * Calls request(host, port, payload, { timeoutMs }) in the probe. `openAfterMs` > 0 also
 * looks, that long after it settled, at what it left open.
 */
function callRequest(ctx: SkipContext, port: number, payload: Buffer | string, timeoutMs: number, openAfterMs = 0, host = '127.0.0.1'): Call {
  const shownPayload = typeof payload === 'string' && payload.length < 40 ? `'${payload}'` : `<${describePayload(payload)}>`;
  return {
    outcome: probe(ctx).call('request', [host, port, payload, { timeoutMs }], { timeoutMs: timeoutMs + 2000, openAfterMs }),
    shown: `request('${host}', ${port}, ${shownPayload}, { timeoutMs: ${timeoutMs} })`,
  };
}

/** "resolved with "world" (5 B) after 3 ms", "rejected with TimeoutError: …". */
function describeOutcome(o: ProbeOutcome): string {
  const unsettled = describeUnsettled('request()', o);
  if (unsettled) return o.settled === 'crashed' && o.stderr.length > 0 ? `${unsettled}:\n${o.stderr.join('\n')}` : unsettled;
  if (o.settled === 'resolved') {
    return `resolved with ${Buffer.isBuffer(o.value) ? describePayload(o.value) : `a ${typeof o.value}, not a Buffer`} after ${o.ms} ms`;
  }
  if (o.settled === 'rejected') return `rejected with ${o.error.name}${o.error.code ? ` (${o.error.code})` : ''}: ${o.error.message}, after ${o.ms} ms`;
  return '';
}

/** The hint for a call that never settled, blocked or crashed; undefined otherwise. */
function unsettledHint(o: ProbeOutcome): string | undefined {
  if (o.settled === 'blocked') return 'Something in request() never lets go of the event loop, such as a `while` loop waiting for the reply: nothing else can run then, not even the message handler. Wait with events and a setTimeout instead.';
  if (o.settled === 'pending') return 'Settle the promise on every path: resolve on the reply, reject when the timer fires and when the send fails.';
  if (o.settled === 'crashed') return "An exception escaped (an 'error' event nobody listens to, or a throw inside a handler), which ends the whole program. Reject the promise instead.";
  return undefined;
}

/** The check fails with the call's own story when it did not settle. */
function expectSettled(call: Call, o: ProbeOutcome, expected: string): asserts o is Extract<ProbeOutcome, { open: string[] }> {
  if (o.settled === 'resolved' || o.settled === 'rejected') return;
  throw new CheckFailure({
    summary: `${describeUnsettled('request()', o)!.replace(/^your/, 'Your')}.`,
    sent: call.shown,
    expected,
    got: describeOutcome(o),
    hint: unsettledHint(o),
  });
}

/**
 * The request (`what`: 'the datagram "hello"') as the stand-in server received it; fails if
 * request() gave up or sent nothing. The wait ends when the call settles (the probe bounds it),
 * so a busy machine's slow start of the probe process cannot be mistaken for a request that was
 * never sent.
 */
async function awaitRequest(server: UdpClient, call: Call, what: string): Promise<Datagram> {
  const req = await Promise.race([server.receive(SEND_WAIT_MS), call.outcome]);
  if (req && 'settled' in req) {
    throw new CheckFailure({
      summary: req.settled === 'resolved' || req.settled === 'rejected' ? 'request() finished before it sent anything.' : `${describeUnsettled('request()', req)!.replace(/^your/, 'Your')}, before it sent anything.`,
      sent: call.shown,
      expected: `${what} arriving at 127.0.0.1:${server.port}, then a wait for the reply`,
      got: describeOutcome(req),
      hint: unsettledHint(req) ?? 'Send the payload with socket.send(payload, port, host, callback), then wait for the reply.',
    });
  }
  if (!req) {
    throw new CheckFailure({
      summary: 'request() sent nothing to the server.',
      sent: call.shown,
      expected: `${what} arriving at 127.0.0.1:${server.port}`,
      got: `nothing within ${SEND_WAIT_MS / 1000} s`,
      hint: 'Send the payload with socket.send(payload, port, host, callback).',
    });
  }
  return req;
}

/** Fails unless the call left no UDP socket open. */
function expectSocketClosed(call: Call, o: Extract<ProbeOutcome, { open: string[] }>, after: string): void {
  const sockets = o.open.filter((r) => /^udpwrap$/i.test(r)).length;
  const timers = o.open.filter((r) => /^timeout$/i.test(r)).length;
  if (sockets === 0 && timers === 0) return;
  const what = [sockets > 0 && `${sockets} UDP socket${sockets === 1 ? '' : 's'}`, timers > 0 && `${timers} timer${timers === 1 ? '' : 's'}`].filter(Boolean).join(' and ');
  throw new CheckFailure({
    summary: `request() left ${what} running after ${after}: a program that calls it would never end.`,
    sent: call.shown,
    expected: 'nothing of request() still open 100 ms after it settled',
    got: `${what} still open 100 ms after it ${o.settled}`,
    hint:
      sockets > 0
        ? 'Call socket.close() on every way out: after the reply, after the timeout, and after an error. An open socket keeps the program from exiting.'
        : 'Clear the timer (clearTimeout) once the reply has come: a pending timer keeps the program from exiting until it fires.',
  });
}

describe('lab 01: request() over UDP', () => {
  it('sends the payload and resolves with the reply as a Buffer', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    const call = callRequest(ctx, server.port, 'hello', 2000);
    const req = await awaitRequest(server, call, 'the datagram "hello"');
    if (req.data.toString('utf8') !== 'hello') {
      throw new CheckFailure({
        summary: 'The server received something other than the payload.',
        sent: call.shown,
        expected: describePayload('hello'),
        got: describePayload(req.data),
        hint: "Send the payload as it is: Buffer.from(text, 'utf8') for a string, the Buffer itself otherwise.",
      });
    }
    await server.send('world', req);
    const o = await call.outcome;
    expectSettled(call, o, `resolved with ${describePayload('world')}, a Buffer`);
    if (o.settled !== 'resolved' || !Buffer.isBuffer(o.value) || o.value.toString('utf8') !== 'world') {
      throw new CheckFailure({
        summary: 'request() did not resolve with the reply.',
        sent: `${call.shown}; the server replied "world" from 127.0.0.1:${server.port}`,
        expected: `resolved with ${describePayload('world')}, a Buffer`,
        got: describeOutcome(o),
        hint: "Resolve with `msg`, the Buffer the 'message' handler receives, not a string.",
      });
    }
  });

  it('rejects with a TimeoutError when no reply comes in time', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1'); // receives, never answers
    const call = callRequest(ctx, server.port, 'anyone?', 300);
    const o = await call.outcome;
    expectSettled(call, o, 'rejected with an error whose name is "TimeoutError", after about 300 ms');
    if (o.settled === 'rejected' && o.error.name === 'TimeoutError' && o.ms >= 290) return;
    throw new CheckFailure({
      summary: 'A request that gets no reply must end with a TimeoutError after timeoutMs.',
      sent: `${call.shown}, to a server that never answers`,
      expected: 'rejected with an error whose name is "TimeoutError", after about 300 ms',
      got: describeOutcome(o),
      hint:
        o.settled === 'rejected' && o.error.name === 'TimeoutError'
          ? 'It gave up too soon: start the timer with setTimeout(..., timeoutMs), and reject when it fires.'
          : 'Reject with the starter\'s TimeoutError class (its name is "TimeoutError"), from a setTimeout of timeoutMs.',
    });
  });

  it('closes its socket after a reply', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    const call = callRequest(ctx, server.port, 'ping', 2000, 100);
    const req = await awaitRequest(server, call, 'the datagram "ping"');
    await server.send('pong', req);
    const o = await call.outcome;
    expectSettled(call, o, 'resolved with the reply');
    if (o.settled !== 'resolved') {
      throw new CheckFailure({
        summary: 'request() did not resolve with the reply.',
        sent: `${call.shown}; the server replied "pong"`,
        expected: 'resolved with the reply',
        got: describeOutcome(o),
      });
    }
    expectSocketClosed(call, o, 'a reply');
  });

  it('closes its socket after a timeout', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1'); // receives, never answers
    const call = callRequest(ctx, server.port, 'anyone?', 200, 100);
    const o = await call.outcome;
    expectSettled(call, o, 'rejected with a TimeoutError after about 200 ms');
    if (o.settled !== 'rejected' || o.error.name !== 'TimeoutError') {
      throw new CheckFailure({
        summary: 'request() did not end with a TimeoutError when no reply came.',
        sent: `${call.shown}, to a server that never answers`,
        expected: 'rejected with a TimeoutError after about 200 ms',
        got: describeOutcome(o),
      });
    }
    expectSocketClosed(call, o, 'a timeout');
  });

  it('rejects at once, and closes its socket, when the send fails', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    // One byte over the IPv4 maximum: the send fails with EMSGSIZE.
    const call = callRequest(ctx, server.port, Buffer.alloc(65_508, 'a'), 5000, 100);
    const o = await call.outcome;
    expectSettled(call, o, 'rejected with the send error (code EMSGSIZE) at once');
    const sendError = o.settled === 'rejected' && (o.error.code === 'EMSGSIZE' || /EMSGSIZE/.test(o.error.message)) && o.ms < 2000;
    if (!sendError) {
      throw new CheckFailure({
        summary: 'A send that fails must reject the request straight away.',
        sent: `${call.shown}: one byte over UDP's IPv4 maximum`,
        expected: 'rejected with the send error (code EMSGSIZE) at once',
        got: describeOutcome(o),
        hint: "Send errors are reported only to socket.send's callback: `(err) => { if (err) ...reject(err) }`.",
      });
    }
    expectSocketClosed(call, o, 'a failed send');
  });

  it('ignores a datagram from another port', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    const stranger = await UdpClient.open('127.0.0.1');
    const call = callRequest(ctx, server.port, 'question', 2000);
    const req = await awaitRequest(server, call, 'the datagram "question"');
    await stranger.send('decoy', req); // from 127.0.0.1 but another port, before the real reply
    await server.send('answer', req);
    const o = await call.outcome;
    expectSettled(call, o, `resolved with "answer" (6 B), the datagram from 127.0.0.1:${server.port}`);
    if (o.settled !== 'resolved' || !Buffer.isBuffer(o.value) || o.value.toString('utf8') !== 'answer') {
      throw new CheckFailure({
        summary: 'request() took a datagram from a stranger as the reply.',
        sent: `${call.shown}; then "decoy" from ${stranger.endpoint}, then "answer" from 127.0.0.1:${server.port}`,
        expected: `resolved with "answer" (6 B), the datagram from 127.0.0.1:${server.port}`,
        got: describeOutcome(o),
        hint: "Anyone can send to your port. Connect the socket to the server (socket.connect(port, host, callback)), so that the kernel drops everyone else's datagrams, or compare rinfo.port and rinfo.address with where you sent the request in the 'message' handler, and ignore anything else.",
      });
    }
  });

  it('ignores a datagram from another address on the same port', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    let stranger: UdpClient;
    try {
      // Linux has all of 127.0.0.0/8 on loopback: the stranger takes the server's port number
      // at another address.
      stranger = await UdpClient.openAt('127.0.0.2', server.port);
    } catch {
      return ctx.skip('this system has no 127.0.0.2 (macOS); the address filter is not checked here');
    }
    const call = callRequest(ctx, server.port, 'question', 2000);
    const req = await awaitRequest(server, call, 'the datagram "question"');
    await stranger.send('decoy', req);
    await server.send('answer', req);
    const o = await call.outcome;
    expectSettled(call, o, `resolved with "answer" (6 B), the datagram from 127.0.0.1:${server.port}`);
    if (o.settled !== 'resolved' || !Buffer.isBuffer(o.value) || o.value.toString('utf8') !== 'answer') {
      throw new CheckFailure({
        summary: 'request() took a datagram from another address as the reply.',
        sent: `${call.shown}; then "decoy" from ${stranger.endpoint}, then "answer" from 127.0.0.1:${server.port}`,
        expected: `resolved with "answer" (6 B), the datagram from 127.0.0.1:${server.port}`,
        got: describeOutcome(o),
        hint: 'Checking the port is not enough: another machine (or address) can use the same port number. Compare rinfo.address too, or connect the socket to the server and let the kernel filter.',
      });
    }
  });

  it('reaches a server on 127.0.0.1 by the name "localhost", where the system lists ::1 first', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    const call = callRequest(ctx, server.port, 'by name', 2000, 0, 'localhost');
    const req = await Promise.race([server.receive(SEND_WAIT_MS), call.outcome]);
    const expected = `"by name" arriving at 127.0.0.1:${server.port}, and request() resolving with the reply`;
    if (req && 'settled' in req) {
      expectSettled(call, req, expected);
      throw new CheckFailure({
        summary: 'request() given "localhost" never reached the server on 127.0.0.1.',
        sent: `${call.shown}, on a system whose lookup of "localhost" without a family gives ::1 first (a hosts file that lists ::1 localhost first, as many do)`,
        expected,
        got: `nothing arrived at 127.0.0.1:${server.port}; ${describeOutcome(req)}`,
        hint: "Let the socket resolve the name: a udp4 socket's send() or connect() looks \"localhost\" up as an IPv4 address, 127.0.0.1. A lookup of your own without a family (dns.lookup(host)) may give ::1, and a udp6 socket then sends where no IPv4 server listens. Create the socket from the host as given: 'udp6' only for an IPv6 address (net.isIP(host) === 6), else 'udp4'.",
      });
    }
    if (!req) return; // unreachable: the call's own end comes first
    await server.send('by name, answered', req);
    const o = await call.outcome;
    expectSettled(call, o, 'resolved with "by name, answered"');
    if (o.settled === 'resolved' && Buffer.isBuffer(o.value) && o.value.toString('utf8') === 'by name, answered') return;
    throw new CheckFailure({
      summary: 'request() given "localhost" sent its datagram but did not take the reply from 127.0.0.1.',
      sent: `${call.shown}; the server at 127.0.0.1:${server.port} replied "by name, answered"`,
      expected: `resolved with ${describePayload('by name, answered')}`,
      got: describeOutcome(o),
      hint: "rinfo.address is always a numeric address (127.0.0.1), never \"localhost\": a filter that compares it with the name as given ignores the real reply. Connect the socket (socket.connect(port, host, callback)) and let the kernel filter, or compare with the address the name resolves to for the socket's family.",
    });
  });

  it('sends and receives a zero-length datagram', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    const call = callRequest(ctx, server.port, Buffer.alloc(0), 2000);
    const req = await awaitRequest(server, call, 'an empty datagram');
    await server.send(Buffer.alloc(0), req);
    const o = await call.outcome;
    expectSettled(call, o, 'resolved with an empty Buffer');
    if (o.settled !== 'resolved' || !Buffer.isBuffer(o.value) || o.value.length !== 0) {
      throw new CheckFailure({
        summary: 'An empty reply is a reply.',
        sent: `${call.shown}; ${describePayload(req.data)} arrived, and the server answered with an empty datagram`,
        expected: 'resolved with an empty Buffer',
        got: describeOutcome(o),
        hint: 'Zero-length datagrams are delivered: msg.length is 0. Look for a test such as `if (!msg.length)` or `if (msg.toString())` that skips them.',
      });
    }
  });

  it('keeps binary payloads byte for byte', async (ctx) => {
    const server = await UdpClient.open('127.0.0.1');
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const call = callRequest(ctx, server.port, bytes, 2000);
    const req = await awaitRequest(server, call, 'a datagram of the 256 byte values 00…ff');
    await server.send(Buffer.from(bytes).reverse(), req);
    const o = await call.outcome;
    expectSettled(call, o, 'resolved with the 256 bytes reversed');
    const value = o.settled === 'resolved' ? o.value : undefined;
    if (!req.data.equals(bytes) || !Buffer.isBuffer(value) || !value.equals(Buffer.from(bytes).reverse())) {
      throw new CheckFailure({
        summary: 'Binary data was changed on the way.',
        sent: `${call.shown} with the 256 byte values 00…ff; the server received ${describePayload(req.data)} and replied with them reversed`,
        expected: 'the server receives the 256 bytes unchanged, and request() resolves with the reversed 256 bytes',
        got: describeOutcome(o),
        hint: 'Pass Buffers through as they are. Turning bytes into a string and back (toString/Buffer.from) damages anything that is not valid UTF-8.',
      });
    }
  });

  it('does not crash the program when the port is closed (ICMP port unreachable)', async (ctx) => {
    const gone = await UdpClient.open();
    const closedPort = gone.port;
    await gone.close(); // nothing listens there now: the kernel answers with ICMP "port unreachable"
    const call = callRequest(ctx, closedPort, 'is anyone there?', 300);
    const o = await call.outcome;
    const fine = o.settled === 'rejected' && (o.error.name === 'TimeoutError' || o.error.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(o.error.message));
    if (fine) return;
    throw new CheckFailure({
      summary:
        o.settled === 'crashed'
          ? 'request() crashed the program when nothing listened on the port.'
          : 'request() should reject when nothing listens on the port.',
      sent: `${call.shown}, to a port where nothing listens`,
      expected: 'rejected (with a TimeoutError, or with the ECONNREFUSED error), and the program keeps running',
      got: describeOutcome(o),
      hint:
        o.settled === 'crashed'
          ? "A connected socket reports the ICMP 'port unreachable' as an 'error' event (ECONNREFUSED). With no 'error' listener, that event ends the program: listen for it and reject."
          : unsettledHint(o),
    });
  });
});
