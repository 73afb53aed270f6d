// The UDP client's interactive mode: each line the learner types is one datagram to the target,
// and replies print as they come, above the prompt. Ends on Ctrl+D, Ctrl+C, `.exit`, or when the
// Io's signal aborts, and leaves no socket open. The workbook reuses it wherever a learner types
// datagrams at a running server.

import { clearLine, createInterface, cursorTo } from 'node:readline';
import { writeLine, type Io } from '../term/io.ts';
import { ClientSocket } from './client-socket.ts';
import { LOOPBACK_BROADCAST, checkLoopback, formatEndpoint, type Endpoint } from '../udp/address.ts';
import { replyLine } from './format.ts';
import { PayloadError, parsePayload } from './payload.ts';
import { SendError, checkPayloadSize } from './send.ts';

export interface SessionOptions {
  /** Lines typed are hex bytes (`68 69`), and replies are shown as hex. */
  hex?: boolean;
  /** Sets SO_BROADCAST; needed to send to 127.255.255.255. */
  broadcast?: boolean;
  /**
   * Other lines to show while the session runs (say, a server's log): called with the session's
   * own printer, which keeps the prompt below them; returns a function that stops them.
   */
  notes?: (print: (line: string) => void) => () => void;
}

/**
 * Runs the line session on `io.stdin`/`io.stdout` and resolves when the learner ends it.
 * Throws an EndpointError, before opening anything, for an address the workbook may not use.
 */
export async function interactiveSession(target: Endpoint, io: Io, options: SessionOptions = {}): Promise<void> {
  const broadcast = options.broadcast ?? false;
  checkLoopback(target, broadcast && target.address === LOOPBACK_BROADCAST ? 'broadcast' : 'send');
  if (io.signal.aborted) return;
  const socket = await ClientSocket.open(target, { broadcast });
  const where = formatEndpoint(target.address, target.port);
  const terminal = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal, prompt: '> ' });

  // A line printed while the learner is typing goes above the prompt, which is then redrawn.
  // Without a terminal there is no prompt: the output is then plain lines.
  let ended = false;
  rl.once('close', () => (ended = true));
  const prompt = (keepInput = false) => terminal && !ended && rl.prompt(keepInput);
  const print = (line: string) => {
    if (terminal) {
      clearLine(io.stdout, 0);
      cursorTo(io.stdout, 0);
    }
    writeLine(io.stdout, line);
    prompt(true);
  };
  let lastSentAt = performance.now();
  const stopListening = socket.listen(
    (incoming) => print(replyLine({ ...incoming, rttMs: performance.now() - lastSentAt }, options.hex)),
    (err) => print(err.code === 'ECONNREFUSED' ? `Nothing is listening on ${where} (ECONNREFUSED). Start the server, then type again.` : `Socket error: ${err.message}`),
  );

  const stopNotes = options.notes?.(print);
  const what = options.hex ? ' (hex bytes, e.g. 68 69 for "hi")' : '';
  writeLine(io.stdout, `Sending to ${where}, from port ${socket.port}.`);
  writeLine(io.stdout, `Each line you type${what} is one datagram; replies print as they come.`);
  writeLine(io.stdout, 'Ctrl+D or .exit ends.');
  rl.on('line', (line) => {
    if (line.trim() === '.exit') return rl.close();
    let data: Buffer;
    try {
      data = parsePayload(line, options.hex);
      checkPayloadSize(target, data.length);
    } catch (err) {
      if (!(err instanceof PayloadError || err instanceof SendError)) throw err;
      return print(err.message);
    }
    lastSentAt = performance.now();
    socket.send(data).catch((err: Error) => print(`Sending failed: ${err.message}`));
    prompt();
  });
  const closed = new Promise<void>((resolve) => rl.once('close', resolve));
  rl.on('SIGINT', () => rl.close());
  const onAbort = () => rl.close();
  io.signal.addEventListener('abort', onAbort, { once: true });
  if (io.signal.aborted) rl.close();
  else prompt();
  await closed;

  io.signal.removeEventListener('abort', onAbort);
  stopNotes?.();
  stopListening();
  await socket.close();
  if (terminal) writeLine(io.stdout);
}
