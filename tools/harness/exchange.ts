// The checker's main move: send one datagram to the server and hold the reply against what a
// correct lab sends. Failures say what was sent, what was expected, what came back, the server's
// last log lines and the likely cause.

import { formatEndpoint, sameEndpoint } from '../udp/address.ts';
import { CheckFailure } from './failure.ts';
import { decodeStrict } from '../udp/payload.ts';
import { describePayload } from './payload.ts';
import type { ServerProcess } from './server-process.ts';
import { UdpClient, type Datagram } from './udp-client.ts';

/** What a correct reply looks like: exact text or bytes, or a predicate with a description. */
export type Expectation = string | Buffer | { describe: string; test: (data: Buffer) => boolean };

export interface ExchangeOptions {
  server: ServerProcess;
  /** The sending socket; a fresh one when omitted. */
  client?: UdpClient;
  send: Buffer | string;
  expect: Expectation;
  /** How long to wait for the reply (default 1000 ms). */
  timeoutMs?: number;
  /**
   * The likely cause. A string is used when a wrong reply comes back; a function is asked in
   * every case (with undefined when nothing came back) and may return undefined for the default.
   */
  hint?: string | ((got: Datagram | undefined) => string | undefined);
}

export const REPLY_TIMEOUT_MS = 1000;

export function describeExpectation(e: Expectation): string {
  return typeof e === 'string' || Buffer.isBuffer(e) ? describePayload(e) : e.describe;
}

export function matches(e: Expectation, data: Buffer): boolean {
  if (typeof e === 'string') return data.equals(Buffer.from(e, 'utf8'));
  if (Buffer.isBuffer(e)) return data.equals(e);
  return e.test(data);
}

/** Fails with the crash report if the server is no longer running. */
export function ensureRunning(server: ServerProcess, doing?: string): void {
  const crash = server.crashReport();
  if (!crash) return;
  throw new CheckFailure({
    summary: doing ? `${crash.summary.replace(/\.$/, '')} ${doing}.` : crash.summary,
    log: crash.log,
    hint: crash.hint ?? 'Its last output is above. A server must keep running after each datagram.',
  });
}

export async function exchange(options: ExchangeOptions): Promise<Datagram> {
  const { server, send, expect: expected, timeoutMs = REPLY_TIMEOUT_MS } = options;
  ensureRunning(server, 'before the check began');
  const client = options.client ?? (await UdpClient.open());
  const payload = typeof send === 'string' ? Buffer.from(send, 'utf8') : send;
  const sent = `${describePayload(payload)} from ${client.endpoint} to ${formatEndpoint(server.host, server.port)}`;
  const hintFor = (got: Datagram | undefined) =>
    typeof options.hint === 'function' ? options.hint(got) : got ? options.hint : undefined;

  // A server that has already ignored two requests in a row is not waited for in full again:
  // the learner sees the same advice sooner.
  const wait = server.unanswered >= 2 ? Math.min(timeoutMs, 300) : timeoutMs;
  const mark = server.printed;
  const cpuBefore = server.cpu();
  await client.send(payload, server.endpoint);
  const reply = await client.receive(wait);
  server.unanswered = reply ? 0 : server.unanswered + 1;

  if (!reply) {
    await new Promise((resolve) => setTimeout(resolve, 50)); // let an exit that is under way be seen
    ensureRunning(server, `after it received ${describePayload(payload)}`);
    const stuck = isSpinning(cpuBefore, server.cpu(), wait);
    const elsewhere = repliedElsewhere(server.linesSince(mark), client, server);
    throw new CheckFailure({
      summary: stuck ? 'No reply came back: your server is running flat out and answers nothing.' : 'No reply came back.',
      sent,
      expected: describeExpectation(expected),
      got: `nothing within ${wait} ms`,
      log: server.tail(),
      hint: stuck
        ? "Your server used all of a CPU while the checker waited: it is stuck in a loop, most likely in the 'message' handler, since an earlier datagram. Nothing else runs while a handler loops: not the next datagram, not a timer. Look for a `while` that waits for something only an event could bring."
        : elsewhere
          ? `Your server's log names ${elsewhere} as where the reply went, but this request came from ${client.endpoint}. Reply to rinfo.address and rinfo.port, the sender of the datagram you are answering.`
          : (hintFor(undefined) ?? 'Reply with socket.send(reply, rinfo.port, rinfo.address, callback) in the message handler.'),
    });
  }
  if (!sameEndpoint(reply, server.endpoint)) {
    throw new CheckFailure({
      summary: `The reply came from ${formatEndpoint(reply.address, reply.port)}, not from the server's address ${formatEndpoint(server.host, server.port)}.`,
      sent,
      expected: `${describeExpectation(expected)} from ${formatEndpoint(server.host, server.port)}`,
      got: `${describePayload(reply.data)} from ${formatEndpoint(reply.address, reply.port)}`,
      log: server.tail(),
      hint: 'Send the reply from the socket that received the request. A reply from another socket comes from another port, and clients (and firewalls) drop it as a stranger.',
    });
  }
  if (!matches(expected, reply.data)) {
    throw new CheckFailure({
      summary: 'The reply is not what a correct server sends.',
      sent,
      expected: describeExpectation(expected),
      got: describePayload(reply.data),
      log: server.tail(),
      hint: hintFor(reply) ?? diagnose(expected, reply.data),
    });
  }
  return reply;
}

/** Whether the process spent at least 80 % of `ms` on the CPU between the two readings. */
export function isSpinning(before: { ticks: number } | undefined, after: { ticks: number } | undefined, ms: number): boolean {
  if (!before || !after) return false;
  return ((after.ticks - before.ticks) * 10) / ms >= 0.8; // ticks are 10 ms (USER_HZ = 100)
}

/** An endpoint other than the client's that the server's log says it sent a reply to. */
export function repliedElsewhere(lines: string[], client: UdpClient, server: ServerProcess): string | undefined {
  for (const line of lines) {
    if (!/\b(sent|sending|replied|reply|to)\b/i.test(line)) continue;
    // 127.0.0.1:8080, [::1]:8080, 127.0.0.1 port 8080, ('127.0.0.1', 8080)
    for (const [, address, port] of line.matchAll(/(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\])['"]?(?:\s*[,:]\s*|\s+port\s+|\s+)(\d{1,5})\b/gi)) {
      const endpoint = { address: address!.replace(/^\[|\]$/g, ''), port: Number(port) };
      if (!sameEndpoint(endpoint, client) && !sameEndpoint(endpoint, server.endpoint)) return formatEndpoint(endpoint.address, endpoint.port);
    }
  }
  return undefined;
}

/** Fails if any further datagram arrives at `client` within `ms`: a double reply. */
export async function expectNoMore(client: UdpClient, server: ServerProcess, ms: number, after: string): Promise<void> {
  const extra = await client.receive(ms);
  if (!extra) return;
  throw new CheckFailure({
    summary: `A second datagram arrived after the reply to ${after}; one request must get exactly one reply.`,
    got: `${describePayload(extra.data)} from ${formatEndpoint(extra.address, extra.port)}`,
    log: server.tail(),
    hint: "Look for a second socket.send, or a 'message' handler registered twice (on every loop or every 'listening').",
  });
}

/** A generic guess at the cause when the checker gave none. */
export function diagnose(expected: Expectation, got: Buffer): string | undefined {
  if (typeof expected !== 'string' && !Buffer.isBuffer(expected)) return undefined;
  const want = typeof expected === 'string' ? Buffer.from(expected, 'utf8') : expected;
  if (got.length < want.length && want.subarray(0, got.length).equals(got)) {
    return `The reply is cut short: ${got.length} of ${want.length} bytes. Are you slicing the message, or using a fixed-size buffer?`;
  }
  const text = decodeStrict(got);
  if (text?.includes('\uFFFD') && !want.toString('utf8').includes('\uFFFD')) {
    return 'The reply contains U+FFFD replacement characters: bytes were decoded with the wrong encoding, or split in the middle of a character.';
  }
  if (got.length > want.length && got.subarray(0, want.length).equals(want)) {
    return 'The reply has extra bytes at the end (a newline?). Send exactly the text, nothing after it.';
  }
  if (text !== undefined && text.trim() === want.toString('utf8').trim()) {
    return 'Only white space differs: check for a stray newline or space.';
  }
  return undefined;
}
