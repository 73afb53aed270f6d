// Checks that the server labs share from lesson 03 on: the port and host options, many clients
// at once, logs that name the peer, seeded random bytes, a reply too large to send, a burst of
// 1,000 datagrams, and a clean shutdown on a signal. Each one throws a CheckFailure written for
// the learner; the checker's it(...) names the behaviour.

import {
  CheckFailure,
  UdpClient,
  describePayload,
  ensureRunning,
  exchange,
  formatEndpoint,
  namesEndpoint,
  randomBytes,
  seededRandom,
  startServer,
  boundPorts,
  inScope,
  willRun,
  type Datagram,
  type ServerProcess,
  type Scope,
} from '../../../tools/harness/index.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a check starts and then only looks at (a copy of the server with another --host, one to
 * send a signal to, one on a port that is held), started in a beforeAll for the checks that are
 * going to run (willRun), so that their start-ups overlap with each other and with the checks
 * before them. A known answer's run starts nothing it does not need. Each run is taken once; a
 * check that finds none started starts its own, so the verdict is the same either way. What an
 * early run opens lasts the file ('file' scope); a run started by its check, the check.
 */
export class Early {
  private readonly runs = new Map<string, Promise<unknown>>();

  /**
   * Starts `run` for `check` (if it will run) once `after` have settled: what it shares with
   * checks before it (a server it ends, a port) is theirs until then. Returns a promise that
   * settles, without an error, once the run has: for the runs that must wait for this one.
   */
  start(check: string, run: (scope: Scope) => Promise<unknown>, after: readonly Promise<unknown>[] = []): Promise<unknown> {
    if (!willRun(check)) return Promise.resolve();
    if (!this.runs.has(check)) {
      // Whatever it opens lasts the file, even what it does not open itself (inScope).
      const go = () => inScope('file', () => run('file'));
      const started = after.length === 0 ? go() : Promise.allSettled(after).then(go);
      started.catch(() => {}); // reported by the check that takes it
      this.runs.set(check, started);
    }
    return this.runs.get(check)!.catch(() => {});
  }

  take<T>(check: string, run: (scope: Scope) => Promise<T>): Promise<T> {
    const started = this.runs.get(check) as Promise<T> | undefined;
    this.runs.delete(check);
    return started ?? run('test');
  }
}

/** Polls until `done()` or `timeoutMs`; stops early if the server has exited. */
export async function waitUntil(s: ServerProcess, done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() >= deadline || s.exit !== undefined) return done();
    await sleep(20);
  }
  return true;
}

/**
 * The ready line names the port really bound. The shared server was started on a port the
 * checker chose, and startServer already refused it if it bound another one; here a second copy
 * is started with --port 0, where only socket.address() can tell which port the OS chose.
 */
export async function expectRealPort(sharedServer: Promise<ServerProcess>, file: string): Promise<void> {
  // Both start at once: the copy need not wait for the shared server.
  const copy = startServer({ file, port: 0 });
  copy.catch(() => {}); // reported below, once the shared server has said what it says
  const shared = await sharedServer;
  const s = await copy;
  const bound = boundPorts(s.child.pid);
  if (s.port !== 0 && (bound.length === 0 || bound.includes(s.port))) return;
  throw new CheckFailure({
    summary: `Started with --port 0, the server says it listens on port ${s.port}${bound.length > 0 ? `, but it is bound to port ${bound.join(', ')}` : ''}.`,
    sent: `${s.shownAs} --port 0 --host ${s.host}, where the operating system chooses the port (the first copy, on port ${shared.port}, was fine)`,
    expected: 'the port the operating system chose, read from socket.address().port once bound',
    got: s.log.find((l) => l.includes('UDP server listening')) ?? '',
    hint: 'Print socket.address().port in the listening handler, not the number you asked for: with --port 0 they differ.',
  });
}

/** Starts a second copy of the server with --host 127.0.0.2 and expects it bound there and answering. */
export async function expectHostOption(
  file: string,
  probe: { send: string; expect: string },
  skip: (note: string) => never,
  start: () => Promise<ServerProcess> = () => startServer({ file, host: '127.0.0.2' }),
): Promise<void> {
  try {
    await (await UdpClient.open('127.0.0.2')).close();
  } catch {
    skip('this system has no 127.0.0.2 (macOS): --host is not checked here');
  }
  const s = await start();
  if (s.host !== '127.0.0.2') {
    throw new CheckFailure({
      summary: `Started with --host 127.0.0.2, the server says it is listening on ${s.host}.`,
      expected: 'UDP server listening on 127.0.0.2:<port>',
      got: s.log.find((l) => l.includes('UDP server listening')) ?? '',
      log: s.tail(),
      hint: 'Pass the --host value to bind: socket.bind(PORT, HOST). Without an address, bind listens on every interface (0.0.0.0), which is rarely what a server on a shared machine should do.',
    });
  }
  await exchange({ server: s, send: probe.send, expect: probe.expect });
}

/** Text that trim(), a newline or a C-string habit would change: spaces and tabs at both ends, CRLF, NUL. */
export const PADDED = ' \tpad\0ded\t \r\n';

/** The reply keeps every byte of PADDED; `reply` is what a correct server answers to a text. */
export async function expectExactText(s: ServerProcess, reply: (text: string) => string): Promise<void> {
  const expected = reply(PADDED);
  await exchange({
    server: s,
    send: PADDED,
    expect: expected,
    hint: (got) => {
      if (!got) return undefined;
      const text = got.data.toString('utf8');
      if (text === reply(PADDED.trim()) || text === reply(PADDED.trimEnd()) || text === reply(PADDED.trimStart())) {
        return 'The spaces and tabs at the ends (and the "\\r\\n") were cut off: trim() has no place in a reply. A datagram\'s bytes are all data.';
      }
      if (text.startsWith(expected) && text.length > expected.length) return 'Something was added after the text, a newline perhaps. The reply ends where the text ends.';
      if (!text.includes('\0')) return 'The NUL byte (00) was lost: it is an ordinary character in JavaScript, and must come back like any other.';
      return 'Every byte of the text comes back as it came: spaces, tabs, "\\r\\n" and NUL included.';
    },
  });
}

export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A text that starts with a byte-order mark (ef bb bf) keeps it: `reply` is what a correct server
 * answers to a text, and `decoder` names the decoding that keeps it, for the hint.
 */
export async function expectBomKept(s: ServerProcess, reply: (text: string) => string, decoder: string): Promise<void> {
  const text = '\uFEFFbom';
  const expected = Buffer.from(reply(text), 'utf8');
  await exchange({
    server: s,
    send: Buffer.concat([BOM, Buffer.from('bom')]),
    expect: expected,
    hint: (got) => {
      if (!got) return undefined;
      if (got.data.equals(Buffer.from(reply('bom'), 'utf8'))) {
        return `The byte-order mark was dropped: the reply should hold ${expected.toString('hex').replace(/(..)(?!$)/g, '$1 ')}. A TextDecoder removes a leading BOM unless it is created with ignoreBOM: true. ${decoder}`;
      }
      return undefined;
    },
  });
}

/** Clients on other loopback addresses where the system has them (Linux does; macOS does not). */
export async function openClientOn(address: string): Promise<UdpClient> {
  try {
    return await UdpClient.open(address);
  } catch {
    return UdpClient.open('127.0.0.1');
  }
}

/** Twelve clients send at once; each must get its own reply. */
export async function expectEachClientAnswered(
  s: ServerProcess,
  request: (i: number) => string,
  reply: (i: number) => string,
): Promise<void> {
  const addresses = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  const clients = await Promise.all(Array.from({ length: 12 }, (_, i) => openClientOn(addresses[i % addresses.length]!)));
  // All requests go out before any reply is awaited, so a server that remembers "the last
  // client" instead of each datagram's own sender answers the wrong ones.
  await Promise.all(clients.map((c, i) => c.send(request(i), s.endpoint)));
  const replies = await Promise.all(clients.map((c) => c.receive(1000)));
  const wrong: string[] = [];
  for (const [i, got] of replies.entries()) {
    if (!got || got.data.toString('utf8') !== reply(i)) {
      wrong.push(`client ${i} at ${clients[i]!.endpoint} expected "${reply(i)}", got ${got ? describePayload(got.data) : 'nothing within 1000 ms'}`);
    }
  }
  if (wrong.length === 0) return;
  ensureRunning(s, 'while 12 clients were talking to it');
  throw new CheckFailure({
    summary: replies.every((r) => !r) ? 'No reply came back.' : `${wrong.length} of ${clients.length} clients did not get their own reply.`,
    sent: `${JSON.stringify(request(0))} … ${JSON.stringify(request(11))}, one datagram from each of 12 clients on ${addresses.join(', ')}`,
    expected: `each client gets its own reply: ${JSON.stringify(reply(0))} … ${JSON.stringify(reply(11))}`,
    got: wrong.slice(0, 4).join('\n') + (wrong.length > 4 ? `\n… and ${wrong.length - 4} more` : ''),
    log: s.tail(),
    hint: "Reply to the rinfo of the datagram you are answering: no shared variable for 'the client', no fixed port or address.",
  });
}

// A line that reports a reply going out, as opposed to a datagram coming in.
const OUTGOING = /\b(sent|sending|send|replied|replying|reply|responded|response|answered)\b|\bto\b|->|→/i;

/** Sends one request from a fresh client and returns the client and the log lines since, once `enough` holds. */
async function logAfter(
  s: ServerProcess,
  probe: { send: string; expect: string },
  enough: (naming: string[]) => boolean,
): Promise<{ client: UdpClient; since: string[]; naming: string[] }> {
  const client = await UdpClient.open();
  const mark = s.printed;
  await exchange({ server: s, client, send: probe.send, expect: probe.expect });
  const naming = () => s.linesSince(mark).filter((line) => namesEndpoint(line, client));
  await waitUntil(s, () => enough(naming()), 1000);
  return { client, since: s.linesSince(mark), naming: naming() };
}

function logHint(since: string[], client: UdpClient, fallback: string): string {
  if (since.some((line) => line.includes(client.address))) {
    return `A line names ${client.address} but not the port ${client.port}. Two programs on one machine share an address: only the port tells them apart. Log rinfo.port too.`;
  }
  return fallback;
}

/** A datagram's arrival is logged on a line that names the sender's address and port. */
export async function expectArrivalLogged(s: ServerProcess, probe: { send: string; expect: string }): Promise<void> {
  const arrival = (naming: string[]) => naming.some((line) => !OUTGOING.test(line));
  const { client, since, naming } = await logAfter(s, probe, arrival);
  if (arrival(naming)) return;
  throw new CheckFailure({
    summary: 'No log line says that a datagram arrived, and from whom.',
    sent: `${describePayload(probe.send)} from ${client.endpoint}`,
    expected: `a line when it arrives that names ${client.address} and ${client.port}, e.g. "Received ${Buffer.byteLength(probe.send)} bytes from ${client.endpoint}"`,
    got: naming.length > 0 ? `only lines about the reply:\n${naming.join('\n')}` : `no line naming ${client.endpoint} within 1000 ms`,
    log: since.slice(-8),
    hint: logHint(since, client, "Log at the top of the 'message' handler, with rinfo.address and rinfo.port: it is the one record of who sent what."),
  });
}

/** Each reply sent is logged too, on a line of its own that names the peer. */
export async function expectReplyLogged(s: ServerProcess, probe: { send: string; expect: string }): Promise<void> {
  const reported = (naming: string[]) => naming.length >= 2 && naming.some((line) => OUTGOING.test(line));
  const { client, since, naming } = await logAfter(s, probe, reported);
  if (reported(naming)) return;
  throw new CheckFailure({
    summary: 'No log line says that the reply was sent, and to whom.',
    sent: `${describePayload(probe.send)} from ${client.endpoint}; the reply came back`,
    expected: `two lines that name ${client.endpoint}: one when the datagram arrives, one when the reply has gone, e.g. "Sent ${Buffer.byteLength(probe.expect)} bytes to ${client.endpoint}"`,
    got: naming.length > 0 ? `${naming.length} line${naming.length === 1 ? '' : 's'} naming the peer:\n${naming.join('\n')}` : `no line naming ${client.endpoint} within 1000 ms`,
    log: since.slice(-8),
    hint: logHint(since, client, 'Log in the send callback when err is not set: only then has the reply really been handed to the system.'),
  });
}

/** Twenty datagrams of seeded random bytes, each answered as `reference` says. */
export async function expectRandomBytesAnswered(
  s: ServerProcess,
  reference: (data: Buffer) => Buffer,
  hint: (got: Datagram | undefined) => string | undefined,
): Promise<void> {
  const random = seededRandom(20240503);
  const client = await UdpClient.open();
  for (let i = 0; i < 20; i++) {
    const data = randomBytes(random, 1 + Math.floor(random() * 300));
    await exchange({ server: s, client, send: data, expect: reference(data), hint });
  }
}

/** 65,507 bytes in, 65,517 out: the reply cannot be sent. The server must say so and keep serving. */
export async function expectTooLargeReplyLogged(s: ServerProcess, probe: { send: string; expect: string }): Promise<void> {
  const client = await UdpClient.open();
  const mark = s.printed;
  const said = () => s.linesSince(mark).find((line) => /EMSGSIZE|too (large|long|big)/i.test(line));
  await client.send(Buffer.alloc(65_507, 'a'), s.endpoint);
  await waitUntil(s, () => said() !== undefined, 2000);
  ensureRunning(s, 'after it received a datagram of 65,507 bytes');
  if (said() === undefined) {
    throw new CheckFailure({
      summary: 'Nothing in the log says that the reply to a 65,507-byte datagram could not be sent.',
      sent: `65,507 × "a", the largest IPv4 datagram, from ${client.endpoint}`,
      expected: 'a log line with the send error, EMSGSIZE: the reply ("Response: " and 65,507 letters) is 10 bytes over the limit',
      got: 'no line mentioning EMSGSIZE within 2000 ms',
      log: s.linesSince(mark).slice(-8),
      hint: "A failed send is reported only to socket.send's callback; without a callback it vanishes without a word. Pass one and log err.message (it names EMSGSIZE) when err is set.",
    });
  }
  await exchange({
    server: s,
    send: probe.send,
    expect: probe.expect,
    hint: 'The server stopped answering after a reply could not be sent. Log the error and carry on: the socket is still fine.',
  });
}

/** 1,000 datagrams as fast as the checker can send them; afterwards the server must still answer. */
export async function expectSurvivesBurst(s: ServerProcess, probe: { send: string; expect: string }): Promise<void> {
  const clients = await Promise.all(Array.from({ length: 4 }, () => UdpClient.open()));
  await Promise.all(Array.from({ length: 1000 }, (_, i) => clients[i % 4]!.send(`burst ${i}`, s.endpoint)));
  // Loopback drops datagrams under load, so not every one is answered. Wait until the replies
  // stop coming (at most 5 s), then ask once more.
  const received = () => clients.reduce((n, c) => n + c.inbox.length, 0);
  // Quiet means no new reply for 150 ms: the replies to a burst come within a few milliseconds
  // of each other, and the exchange below waits 2 s for its own answer in any case.
  let seen = received();
  for (let quietSince = performance.now(), deadline = quietSince + 5000; performance.now() - quietSince < 150 && performance.now() < deadline; ) {
    await sleep(25);
    if (received() !== seen) [seen, quietSince] = [received(), performance.now()];
  }
  ensureRunning(s, 'after a burst of 1,000 datagrams');
  await exchange({
    server: s,
    send: probe.send,
    expect: probe.expect,
    timeoutMs: 2000,
    hint: (got) =>
      got
        ? undefined
        : `After the burst (${received()} of 1,000 answered), the server no longer answers. Does it stop after some number of datagrams, or close its socket?`,
  });
}

/**
 * Starts its own copy of the server, sends it `signal`, and expects a message and exit code 0
 * within a second. `handler` is the code a hint suggests.
 */
export async function expectCleanShutdown(
  file: string,
  signal: 'SIGINT' | 'SIGTERM',
  handler = `process.once('${signal}', () => { console.log('Shutting down server...'); socket.close(); })`,
  start: () => Promise<ServerProcess> = () => startServer({ file }),
): Promise<void> {
  const s = await start();
  const mark = s.printed;
  // A signal that arrives before the handler is registered kills the process, and a server
  // registers it a moment after printing its ready line. Like a user, who presses Ctrl+C later,
  // wait for that moment: one request answered (or a second without an answer) proves that the
  // server's start-up code has run to its end.
  const probe = await UdpClient.open();
  await probe.send('before shutdown', s.endpoint);
  await probe.receive(1000);
  const how = signal === 'SIGINT' ? 'Ctrl+C (SIGINT)' : 'SIGTERM';
  s.signal(signal);
  const exit = await s.waitForClose(1000);
  const aboutProbe = (line: string) => namesEndpoint(line, probe) || /before shutdown/i.test(line);
  const said = s.linesSince(mark).filter((line) => line.trim() !== '' && !aboutProbe(line));
  const sent = `${signal} to the server's process (${formatEndpoint(s.host, s.port)}), as ${signal === 'SIGINT' ? 'Ctrl+C in its terminal' : 'kill, systemd or docker stop'} would`;
  const expected = 'a shutdown message, the socket closed, and exit code 0 within 1 s';
  if (!exit) {
    throw new CheckFailure({
      summary: `The server was still running 1 s after ${how}.`,
      sent,
      expected,
      got: said.length > 0 ? `it printed, but did not exit:\n${said.slice(-4).join('\n')}` : 'no output, and no exit',
      log: s.tail(),
      hint:
        said.length > 0
          ? 'Close the socket in the handler: an open socket (or a timer) keeps the process alive. Once nothing is left to wait for, Node exits by itself.'
          : `Handle the signal: ${handler}.`,
    });
  }
  if (exit.signal) {
    throw new CheckFailure({
      summary: `The server was killed by ${exit.signal}: nothing handled ${how}.`,
      sent,
      expected,
      got: `killed by ${exit.signal}${said.length > 0 ? `, after printing:\n${said.slice(-4).join('\n')}` : ', without a word'}`,
      hint: `Without a handler Node is killed on ${signal} on the spot: nothing said, a reply on its way out lost, and an exit status that reports the signal instead of 0. Add ${handler}.`,
    });
  }
  if (exit.code !== 0) {
    throw new CheckFailure({
      summary: `After ${how} the server exited with code ${exit.code}, not 0.`,
      sent,
      expected,
      got: `exit code ${exit.code}`,
      log: s.tail(),
      hint: 'A server asked to stop, that stops, has done its job: exit code 0. Close the socket and let the process end by itself instead of calling process.exit with another code.',
    });
  }
  if (said.length === 0) {
    throw new CheckFailure({
      summary: `After ${how} the server exited with code 0 but said nothing.`,
      sent,
      expected,
      got: 'exit code 0, no output',
      hint: 'Print a line before closing, such as "Shutting down server...": whoever watches the log should see that the stop was deliberate.',
    });
  }
}
