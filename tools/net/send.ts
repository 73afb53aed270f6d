// The UDP client's one-shot mode: send a payload (once, or `count` times `intervalMs` apart) and
// collect every reply with its sender and round-trip time. It stops `timeoutMs` after the last
// datagram, or sooner: once each datagram has had a reply and a short moment has shown no second
// one. A broadcast waits the whole timeout, since any number of servers may answer.

import { ClientSocket, type Incoming } from './client-socket.ts';
import { LOOPBACK_BROADCAST, checkLoopback, formatEndpoint, maxPayload, type Endpoint } from '../udp/address.ts';
import { bytes } from './payload.ts';

export interface Reply extends Incoming {
  /** Milliseconds since the last datagram was sent. */
  rttMs: number;
}

export interface SendOptions {
  /** How many datagrams (default 1, at most 10,000). */
  count?: number;
  /** Between two datagrams (default 1000 ms). */
  intervalMs?: number;
  /** How long to wait for replies after the last datagram (default 1000 ms). */
  timeoutMs?: number;
  /** Sets SO_BROADCAST; needed to send to 127.255.255.255. */
  broadcast?: boolean;
  /** Called as datagram n goes, with the time it went (performance.now()), from which the next waits intervalMs. */
  onSent?: (n: number, data: Buffer, at: number) => void;
  onReply?: (reply: Reply) => void;
  /** Aborting stops sending and waiting; what came so far is returned. */
  signal?: AbortSignal;
}

export interface SendResult {
  sent: number;
  replies: Reply[];
}

export type SendErrorCode = 'too-big' | 'refused' | 'send-failed';

/** An expected failure, with a one-line message for the learner. */
export class SendError extends Error {
  override name = 'SendError';
  readonly code: SendErrorCode;
  constructor(code: SendErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const MAX_COUNT = 10_000;
/** After every datagram has had a reply, how long to listen for a second one. */
export const SECOND_REPLY_GRACE_MS = 100;

/** Throws a SendError if the payload cannot fit one datagram to `target`, naming the limit. */
export function checkPayloadSize(target: Endpoint, size: number): void {
  const max = maxPayload(target.address);
  if (size <= max) return;
  const ip = max === 65_507 ? 'IPv4' : 'IPv6';
  throw new SendError(
    'too-big',
    `The payload is ${bytes(size)}; one UDP datagram over ${ip} carries at most ${bytes(max)}. Send less, or split it over several datagrams.`,
  );
}

export function refusedMessage(target: Endpoint): string {
  return `Nothing is listening on ${formatEndpoint(target.address, target.port)}: it answered with "port unreachable" (ECONNREFUSED). Start the server, or check the port.`;
}

export async function sendDatagrams(target: Endpoint, payload: Buffer, options: SendOptions = {}): Promise<SendResult> {
  const { count = 1, intervalMs = 1000, timeoutMs = 1000, broadcast = false, signal } = options;
  checkLoopback(target, broadcast && target.address === LOOPBACK_BROADCAST ? 'broadcast' : 'send');
  checkPayloadSize(target, payload.length);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new RangeError(`count must be a whole number from 1 to ${MAX_COUNT}, not ${count}`);
  if (!(intervalMs >= 0) || !(timeoutMs >= 0)) throw new RangeError('intervalMs and timeoutMs must be at least 0');

  const socket = await ClientSocket.open(target, { broadcast });
  const replies: Reply[] = [];
  let sent = 0;
  let lastSentAt = 0;
  let lastReplyAt = 0;
  let failure: Error | undefined;
  let wake = () => {};
  const stopListening = socket.listen(
    (incoming) => {
      lastReplyAt = performance.now();
      const reply = { ...incoming, rttMs: lastReplyAt - lastSentAt };
      replies.push(reply);
      options.onReply?.(reply);
      wake();
    },
    (err) => {
      failure ??= err.code === 'ECONNREFUSED' ? new SendError('refused', refusedMessage(target)) : new SendError('send-failed', `The socket failed: ${err.message}.`);
      wake();
    },
  );
  const onAbort = () => wake();
  signal?.addEventListener('abort', onAbort);
  const over = () => failure !== undefined || signal?.aborted === true;
  /** Waits until the time `until()` (performance.now), which every reply or error re-reads. */
  const waitUntil = async (until: () => number) => {
    while (!over() && performance.now() < until()) {
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          wake = () => {};
          resolve();
        };
        const timer = setTimeout(finish, Math.max(1, until() - performance.now()));
        wake = finish;
      });
    }
  };

  try {
    for (let n = 1; n <= count && !over(); n++) {
      sent = n;
      lastSentAt = performance.now();
      options.onSent?.(n, payload, lastSentAt);
      try {
        await socket.send(payload);
      } catch (err) {
        throw new SendError('send-failed', `Sending to ${formatEndpoint(target.address, target.port)} failed: ${(err as Error).message}.`);
      }
      if (n < count) await waitUntil(() => lastSentAt + intervalMs);
    }
    // Done once every datagram has had a reply and no second one came within the grace period.
    const answered = () => !broadcast && replies.length >= sent;
    await waitUntil(() => (answered() ? Math.min(lastSentAt + timeoutMs, lastReplyAt + SECOND_REPLY_GRACE_MS) : lastSentAt + timeoutMs));
    if (failure) throw failure;
    return { sent, replies };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stopListening();
    await socket.close();
  }
}
