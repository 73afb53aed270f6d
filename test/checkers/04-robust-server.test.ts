// Checker for lab 04: the robust server. It grades labs/04-robust-server/ (or the tree named by
// WORKBOOK_TARGET) through real processes, over UDP on loopback, three ways:
//   - server.ts, the learner's entry with lab 03's processor, run as a user would run it;
//   - server.ts again, on a port the checker already holds: it must stop with one line and code 1;
//   - support/04-faulty-server.ts, which runs the lab's startServer (udp-server.ts) with a
//     processor that fails on purpose. The contract is in udp-server.ts's header and the lesson.

import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it } from 'vitest';
import {
  CheckFailure,
  READY_LINE,
  UdpClient,
  describePayload,
  ensureRunning,
  exchange,
  labPath,
  labServer,
  namesEndpoint,
  compiledCopy,
  spawnCompiled,
  startServer,
  track,
  type Datagram,
  skipUnlessLabCode,
  checkContext,
  willRun,
  type ServerProcess,
  type SkipContext,
  type Scope,
} from '../../tools/harness/index.ts';
import { relativeToRoot } from '../../tools/course/paths.ts';
import {
  Early,
  expectBomKept,
  expectCleanShutdown,
  expectExactText,
  expectHostOption,
  expectRandomBytesAnswered,
  expectRealPort,
  expectSurvivesBurst,
  expectTooLargeReplyLogged,
  openClientOn,
  waitUntil,
} from './support/server-checks.ts';
import { invalidHint, respond, upperCaseReply } from './support/upper-case.ts';

const SLUG = '04-robust-server';
const server = labServer(SLUG);
const HELLO = { send: 'hello', expect: 'Response: HELLO' };
const ERROR_REPLY = 'Error processing request';
// The faulty server's contract (see its header).
const FAULTY = fileURLToPath(new URL('./support/04-faulty-server.ts', import.meta.url));
const failureFor = (request: string) => `processing failed on purpose: ${request}`;
const INJECTED_SOCKET_ERROR = 'injected socket error';
const SHUTDOWN = (signal: string) => `process.once('${signal}', () => { log.info('Shutting down'); void server.close(); }) in server.ts, once startServer has resolved`;

// ---- the lab's startServer, run with a processor that fails on purpose ----

let faultyStarted: Promise<ServerProcess> | undefined;

// The faulty server imports the lab's udp-server.ts in a process of its own: the learner's code
// never runs in the checker's. It says so on stderr when there is no startServer to call. It
// imports the module's compiled copy when there is one, and then runs from its own copy too.
async function startFaulty(): Promise<ServerProcess> {
  const lab = labPath(SLUG, 'udp-server.ts');
  const copy = await compiledCopy(lab);
  return startServer({ file: FAULTY, args: [copy ?? lab], trusted: copy !== undefined, scope: 'file' });
}

function faulty(): Promise<ServerProcess> {
  faultyStarted ??= startFaulty().catch((err: unknown) => {
    if (err instanceof CheckFailure && err.details.log?.some((line) => line.includes('does not export a function named startServer'))) {
      throw new CheckFailure({
        summary: `labs/${SLUG}/udp-server.ts does not export a function named startServer.`,
        hint: "Keep the starter's `export function startServer({ host, port, processMessage, log })`: the checker starts your server through it, with processors that fail on purpose.",
      });
    }
    throw err;
  });
  return faultyStarted;
}

/**
 * Runs a check against the faulty server. Its failures name the learner's startServer rather
 * than the checker's script, and when the server ended, `crashHint` (given the summary) says why
 * in terms of the check instead of the stack, which points into the checker's processor.
 */
async function onFaulty(ctx: SkipContext, check: (s: ServerProcess) => Promise<void>, crashHint?: (summary: string) => string): Promise<void> {
  // It runs the lab's startServer, which a server in another language does not have.
  skipUnlessLabCode(ctx, 'your startServer from udp-server.ts');
  try {
    await check(await faulty());
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    const script = relativeToRoot(FAULTY);
    const { summary, hint } = err.details;
    const ended = /^Your server (exited|was killed)/.test(summary);
    throw new CheckFailure({
      ...err.details,
      summary: summary.replace(`(${script})`, `(your startServer, run by ${script} with a processor that fails on purpose)`),
      hint: ended && crashHint ? crashHint(summary) : hint,
    });
  }
}

function failedRequestHint(how: 'throws' | 'rejects') {
  return (got: Datagram | undefined): string | undefined => {
    if (got) return `The reply to a request whose processing ${how} is exactly "${ERROR_REPLY}", nothing more.`;
    return how === 'throws'
      ? `Nothing came back. Catch what processMessage throws: \`try { reply = await processMessage(msg) } catch (err) { log it; reply = ERROR_REPLY }\`, then send the reply to that sender.`
      : 'Nothing came back. A promise that rejects is caught only where it is awaited: `reply = await processMessage(msg)` inside the try. Without the await, the rejection slips past the catch, and an unhandled rejection ends the process.';
  };
}

// ---- the lab's server.ts, on a port the checker already holds ----

/** Binds 127.0.0.1 on a free port, as another program would, and holds it for the test. */
async function holdPort(reuseAddr: boolean, scope: Scope): Promise<number> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr });
  socket.on('error', () => {});
  track(() => new Promise<void>((resolve) => socket.close(() => resolve())), scope);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket.address().port;
}

/** Starts server.ts with --port abc and --port 70000; resolves once each printed its ready line or stopped. */
function badPorts(scope: Scope) {
  return Promise.all(['abc', '70000'].map(async (bad) => {
    const s = await spawnCompiled({ file: labPath(SLUG, 'server.ts'), port: null, args: ['--port', bad], scope });
    const ready = await Promise.race([s.waitForLine(READY_LINE, 10_000), s.closed.then(() => undefined)]);
    const exit = ready === undefined ? await s.waitForClose(2000) : undefined;
    return { bad, s, ready, exit };
  }));
}

/** Starts server.ts on a port that is held; resolves once it printed its ready line or stopped. */
async function startOnHeldPort(reuseAddr: boolean, scope: Scope) {
  const port = await holdPort(reuseAddr, scope);
  const s = await spawnCompiled({ file: labPath(SLUG, 'server.ts'), port, scope });
  const ready = await s.waitForLine(READY_LINE, 10_000);
  const exit = ready === undefined ? await s.waitForClose(5000) : undefined;
  const sent = `node --import tsx labs/${SLUG}/server.ts --port ${port}, while a socket of the checker's holds 127.0.0.1:${port}${reuseAddr ? ' with reuseAddr: true' : ''}`;
  return { s, port, ready, exit, sent };
}

// Timestamps as loggers write them: ISO 8601, a time of day, or milliseconds since 1970.
const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b\d{1,2}:\d{2}:\d{2}\b|\b1\d{12}\b/;
const LEVEL = /\b(INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE)\b/i;

const HOST_CHECK = 'binds the address given by --host';
const SIGINT_CHECK = 'shuts down on Ctrl+C (SIGINT): a message, then exit code 0 within 1 s';
const SIGTERM_CHECK = 'shuts down on SIGTERM too: a message, then exit code 0 within 1 s';
const IN_USE_CHECK = 'stops with one line on stderr naming the port, and exit code 1, when the port is in use';
const REUSE_CHECK = 'does not set reuseAddr: a port another socket holds is refused, not shared';
const BAD_PORT_CHECK = 'refuses a --port that is not a number from 0 to 65535: one line on stderr, exit code 2';
const early = new Early();
const hostCopy = (scope: Scope) => startServer({ file: labPath(SLUG, 'server.ts'), host: '127.0.0.2', scope });
const copy = (scope: Scope) => startServer({ file: labPath(SLUG, 'server.ts'), scope });
/** Rounds of the check with six clients, three of them failing: each overlaps slow and failing requests. */
const ROUNDS = 10;
const FAULTY_CHECKS = [
  'answers "Error processing request" when processing throws, and keeps serving',
  'answers "Error processing request" when processing rejects, and keeps serving',
  "logs a failed request with its error and the peer's address and port",
  'keeps answering every other client correctly while requests fail',
  "keeps serving after an 'error' event on its socket, and logs it",
];

describe('lab 04: a robust UDP server', () => {
  beforeAll(() => {
    early.start(HOST_CHECK, hostCopy);
    early.start(SIGINT_CHECK, copy);
    early.start(SIGTERM_CHECK, copy);
    early.start(IN_USE_CHECK, (scope) => startOnHeldPort(false, scope));
    early.start(REUSE_CHECK, (scope) => startOnHeldPort(true, scope));
    early.start(BAD_PORT_CHECK, badPorts);
    // The faulty server too, for the checks that use it, unless the server is another language's.
    if (!checkContext().server && FAULTY_CHECKS.some((name) => willRun(name))) void faulty().catch(() => {});
  });

  it('prints "UDP server listening on HOST:PORT" with the port it really bound', async () => {
    await expectRealPort(server(), labPath(SLUG, 'server.ts'));
  });

  it('replies "Response: HELLO" to "hello", with the processor from lab 03', async () => {
    await exchange({
      server: await server(),
      ...HELLO,
      hint: 'server.ts hands processMessage (process-message.ts) to startServer, which sends what it returns to the sender.',
    });
  });

  it('writes every log line with a timestamp and a level, errors included', async () => {
    const s = await server();
    await exchange({ server: s, send: 'log line', expect: 'Response: LOG LINE' });
    // An error line of its own: the reply to 65,507 bytes is too large to send (EMSGSIZE).
    const client = await UdpClient.open();
    const mark = s.printed;
    await client.send(Buffer.alloc(65_507, 'a'), s.endpoint);
    await waitUntil(s, () => s.linesSince(mark).some((line) => /EMSGSIZE|too (large|long|big)/i.test(line)), 1000);
    // Everything it has written so far, on stdout and stderr: the ready line, the request, the error.
    const lines = s.log.filter((line) => line.trim() !== '');
    const bad = lines.filter((line) => !TIMESTAMP.test(line) || !LEVEL.test(line));
    if (lines.length > 0 && bad.length === 0) return;
    const missing = (line: string) => [!TIMESTAMP.test(line) && 'no timestamp', !LEVEL.test(line) && 'no level'].filter(Boolean).join(', ');
    const onStderr = (line: string) => (s.stderr.includes(line) ? ' (stderr)' : '');
    throw new CheckFailure({
      summary: lines.length === 0 ? 'Nothing was logged at all.' : `${bad.length} of the ${lines.length} lines your server wrote lack a timestamp or a level.`,
      sent: `"log line" (8 B), then 65,507 × "a" (a reply too large to send, which must be logged as an error), from ${client.endpoint}`,
      expected: 'every line on stdout and stderr like "2025-05-03T14:02:11.532Z INFO  Received 8 bytes from 127.0.0.1:50123", errors too: "… ERROR Could not send …"',
      got: lines.length === 0 ? 'no log lines' : bad.slice(0, 4).map((line) => `${line.slice(0, 70)}${onStderr(line)}   ← ${missing(line)}`).join('\n'),
      hint: "Send every line through your logger (logger.ts), errors included: `${new Date().toISOString()} ${level} ${message}`, whichever stream it goes to. A console.error or console.log of its own bypasses it. (Python's logging.basicConfig gives a level but no time; here both are yours to write.)",
    });
  });

  it(BAD_PORT_CHECK, async () => {
    const tries = await early.take(BAD_PORT_CHECK, badPorts);
    for (const { bad, s, ready, exit } of tries) {
      const sent = `node --import tsx labs/${SLUG}/server.ts --host 127.0.0.1 --port ${bad}`;
      const expected = 'one line on stderr that says the port is not valid, no stack trace, and exit code 2 (a usage error)';
      if (ready !== undefined || !exit) {
        throw new CheckFailure({
          summary: ready ? `Given --port ${bad}, your server started anyway.` : `Given --port ${bad}, your server neither started nor stopped within 12 s.`,
          sent,
          expected,
          got: ready ?? 'still running, without a ready line',
          log: s.tail(),
          hint: `bind() does not check the port it is given: Number('abc') is NaN, and bind(NaN) picks a random port; bind(70000) wraps around to another. Check --port before binding: if (!/^\\d+$/.test(values.port) || PORT > 65535), log one line and process.exit(2).`,
        });
      }
      const errLines = s.stderr.filter((line) => line.trim() !== '');
      const stack = errLines.some((line) => /^\s+at\s|node:internal|^Node\.js v\d/.test(line));
      const problem =
        exit.signal !== null ? `it was killed by ${exit.signal}`
        : stack ? 'it printed a stack trace'
        : exit.code !== 2 ? `it exited with code ${exit.code}`
        : errLines.length !== 1 ? `it printed ${errLines.length} lines on stderr`
        : undefined;
      if (!problem) continue;
      throw new CheckFailure({
        summary: `Given --port ${bad}, your server must refuse it in one line with exit code 2, but ${problem}.`,
        sent,
        expected,
        got: `exit code ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}; on stderr:\n${errLines.slice(0, 4).join('\n') || '(nothing)'}`,
        hint:
          exit.code !== 2 && !stack
            ? 'Exit code 2 says "usage error": the command line was wrong, not the network. process.exit(2) after the one line.'
            : 'One line with log.error (it goes to stderr), then process.exit(2): no exception, no stack trace.',
      });
    }
  });

  it('replies "Response: " to an empty datagram', async () => {
    await exchange({
      server: await server(),
      send: Buffer.alloc(0),
      expect: 'Response: ',
      hint: 'A zero-length datagram is a request like any other: hand it to processMessage and send what it returns.',
    });
  });

  it('keeps the text byte for byte: spaces and tabs at both ends, "\\r\\n", NUL', async () => {
    await expectExactText(await server(), respond);
  });

  it('keeps a leading byte-order mark (ef bb bf), as Python does', async () => {
    await expectBomKept(await server(), respond, "Hand the request's bytes to processMessage as they came; its decoder is new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).");
  });

  it('answers seeded random bytes, valid UTF-8 or not, and keeps serving', async () => {
    await expectRandomBytesAnswered(await server(), upperCaseReply, invalidHint);
  });

  it('stops with one line on stderr naming the port, and exit code 1, when the port is in use', async () => {
    const { s, port, ready, exit, sent } = await early.take(IN_USE_CHECK, (scope) => startOnHeldPort(false, scope));
    const expected = `one line on stderr that names port ${port}, no stack trace, and exit code 1`;
    const errLines = s.stderr.filter((line) => line.trim() !== '');
    if (ready !== undefined || !exit) {
      throw new CheckFailure({
        summary: ready ? `Your server says it is listening on port ${port}, which the checker's socket holds.` : 'Your server neither started nor stopped within 15 s.',
        sent,
        expected,
        got: ready ?? 'still running, without a ready line',
        log: s.tail(),
        hint: ready
          ? 'It must not share a port: no reuseAddr, and no fallback to another port without saying so.'
          : 'When startServer rejects, log one line and let the process end: close the socket, and set process.exitCode = 1.',
      });
    }
    const stack = errLines.some((line) => /^\s+at\s|node:internal|^Node\.js v\d/.test(line));
    const problem =
      exit.signal !== null ? `it was killed by ${exit.signal}`
      : stack ? 'it printed a stack trace'
      : exit.code !== 1 ? `it exited with code ${exit.code}`
      : errLines.length === 0 ? 'it printed nothing on stderr'
      : errLines.length > 1 ? `it printed ${errLines.length} lines on stderr`
      : !new RegExp(`(?<!\\d)${port}(?!\\d)`).test(errLines[0]!) ? `its message does not name the port ${port}`
      : undefined;
    if (!problem) return;
    const text = s.stderr.join('\n');
    const portNamed = new RegExp(`(?<!\\d)${port}(?!\\d)`);
    const silent = errLines.length === 0 && !s.log.some((line) => portNamed.test(line));
    throw new CheckFailure({
      summary: `When its port is taken, your server must say so in one line and exit with code 1, but ${problem}.`,
      sent,
      expected,
      got: `exit code ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}; on stderr:\n${(stack ? errLines.filter((l) => /Error|EADDRINUSE/.test(l)) : errLines).slice(0, 4).join('\n') || '(nothing)'}`,
      hint: /Unhandled 'error' event/.test(text)
        ? "Nothing listened for the socket's 'error' event while it was binding, so Node ended the process with a stack trace. In startServer, listen for 'error' before bind: close the socket and reject."
        : /errno|ERR_|^\s+at\s/m.test(text) || stack
          ? "The error escaped to Node, which printed it whole. Catch it where server.ts awaits startServer, and recognise it by err.code === 'EADDRINUSE' (the document's errno == 48 is macOS's number; Linux says 98, and Node reports -98)."
          : silent
            ? `It stopped without a word${exit.code === 13 ? ' (exit code 13: a top-level await never settled, so startServer neither resolved nor rejected)' : ''}. socket.bind(port, host, callback) adds an 'error' listener of its own, which swallows a failed bind when you have none: listen for 'error' while binding, close the socket and reject; then catch that in server.ts.`
            : exit.code === 0
              ? 'A server that could not start must say so with its exit code too: process.exitCode = 1, so that scripts and service managers notice.'
              : errLines.length === 0
                ? 'Errors go to stderr (console.error, or your logger\'s error level), where they stay apart from the normal output.'
                : `One line that names the port, e.g. "Port ${port} on 127.0.0.1 is already in use: stop the other server, or choose another port with --port."`,
    });
  });

  it('does not set reuseAddr: a port another socket holds is refused, not shared', async () => {
    const { s, port, ready, exit, sent } = await early.take(REUSE_CHECK, (scope) => startOnHeldPort(true, scope));
    if (ready === undefined && exit) return;
    throw new CheckFailure({
      summary: ready
        ? `Your server bound port ${port} although another socket already held it: it sets reuseAddr.`
        : 'Your server neither started nor stopped within 15 s.',
      sent,
      expected: 'the bind fails with EADDRINUSE, and the server stops (a socket without reuseAddr cannot share a port)',
      got: ready ?? 'still running, without a ready line',
      log: s.tail(),
      hint: ready
        ? 'With reuseAddr on both sockets, Linux lets them share the port and delivers every datagram to the one that bound last: your server would silently steal the other\'s traffic, or lose its own. Remove reuseAddr from createSocket: a unicast server must own its port.'
        : undefined,
    });
  });

  it('answers "Error processing request" when processing throws, and keeps serving', async (ctx) => {
    await onFaulty(ctx, async (s) => {
      const client = await UdpClient.open();
      await exchange({ server: s, client, send: 'throw on purpose', expect: ERROR_REPLY, hint: failedRequestHint('throws') });
      await exchange({ server: s, client, ...HELLO, hint: 'After a request failed, the server must go on answering the next one.' });
    }, () => 'The exception processMessage threw escaped and ended the process. Call it inside `try { reply = await processMessage(msg) } catch (err) { ... }`.');
  });

  it('answers "Error processing request" when processing rejects, and keeps serving', async (ctx) => {
    await onFaulty(ctx, async (s) => {
      const client = await UdpClient.open();
      await exchange({ server: s, client, send: 'reject on purpose', expect: ERROR_REPLY, hint: failedRequestHint('rejects') });
      await exchange({ server: s, client, ...HELLO, hint: 'After a request failed, the server must go on answering the next one.' });
    }, () => 'The promise processMessage returned rejected, nothing caught it, and an unhandled rejection ends the process. Await it inside the try: `reply = await processMessage(msg)`.');
  });

  it("logs a failed request with its error and the peer's address and port", async (ctx) => {
    await onFaulty(ctx, async (s) => {
      const client = await UdpClient.open();
      const mark = s.printed;
      const request = 'throw and log';
      await exchange({ server: s, client, send: request, expect: ERROR_REPLY, hint: failedRequestHint('throws') });
      const logged = () => s.linesSince(mark).some((line) => namesEndpoint(line, client) && line.includes(failureFor(request)));
      if (await waitUntil(s, logged, 1000)) return;
      const lines = s.linesSince(mark);
      const hasError = lines.some((line) => line.includes(failureFor(request)));
      throw new CheckFailure({
        summary: hasError ? "The error was logged, but not on a line that names the peer's address and port." : 'The failed request was not logged with its error.',
        sent: `${describePayload(request)} from ${client.endpoint}; processing threw Error("${failureFor(request)}")`,
        expected: `one line with the error's message and ${client.endpoint}, e.g. "ERROR Error processing message from ${client.endpoint}: ${failureFor(request)}"`,
        got: lines.length === 0 ? 'no log lines within 1000 ms' : 'the lines below',
        log: lines.slice(-8),
        hint: 'In the catch: log.error(`Error processing message from ${rinfo.address}:${rinfo.port}: ${err.message}`). The peer says who was affected; the message says why.',
      });
    });
  });

  it('keeps answering every other client correctly while requests fail', async (ctx) => {
    await onFaulty(ctx, async (s) => {
      // Six clients, three whose requests fail (throw, reject, throw) and three whose requests
      // succeed (two of them slowly, so that they overlap with the failures), for 10 rounds. Each
      // round sends six datagrams and awaits six replies: few enough that loopback loses none.
      const roles = [
        (r: number) => [`throw ${r}`, ERROR_REPLY],
        (r: number) => [`slow ${r} straße`, `Response: SLOW ${r} STRASSE`],
        (r: number) => [`reject ${r}`, ERROR_REPLY],
        (r: number) => [`hello ${r}`, `Response: HELLO ${r}`],
        (r: number) => [`throw again ${r}`, ERROR_REPLY],
        (r: number) => [`slow ${r} too`, `Response: SLOW ${r} TOO`],
      ];
      const addresses = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
      const clients = await Promise.all(roles.map((_, i) => openClientOn(addresses[i % 3]!)));
      const wrong: string[] = [];
      let good = 0;
      for (let round = 1; round <= ROUNDS && wrong.length === 0; round++) {
        const requests = roles.map((role) => role(round));
        await Promise.all(clients.map((c, i) => c.send(requests[i]![0]!, s.endpoint)));
        const replies = await Promise.all(clients.map((c) => c.receive(1000)));
        for (const [i, reply] of replies.entries()) {
          const [request, want] = requests[i]!;
          if (reply?.data.toString('utf8') === want) {
            if (want !== ERROR_REPLY) good++;
            continue;
          }
          wrong.push(`${clients[i]!.endpoint} sent "${request}": expected "${want}", got ${reply ? describePayload(reply.data) : 'nothing within 1000 ms'}`);
        }
        if (wrong.length > 0) ensureRunning(s, `while failing and good requests arrived together (round ${round} of ${ROUNDS})`);
      }
      if (wrong.length === 0) return;
      throw new CheckFailure({
        summary: `With failing requests arriving alongside, ${wrong.length} of 6 requests in one round got the wrong answer (${good} good request${good === 1 ? ' was' : 's were'} answered right before that).`,
        sent: `${ROUNDS} rounds; in each, one datagram from each of 6 clients: 3 whose processing throws or rejects, 3 whose processing succeeds (2 of them after 10 ms)`,
        expected: `"${ERROR_REPLY}" to each failing request, the right "Response: …" to each good one, each at its own sender`,
        got: wrong.slice(0, 4).join('\n'),
        log: s.tail(),
        hint: "Handle each datagram on its own: keep rinfo, msg and reply in the handler's own variables (no shared 'current client' that another datagram overwrites during an await), and send one reply per request, to its sender.",
      });
    });
  });

  it("keeps serving after an 'error' event on its socket, and logs it", async (ctx) => {
    await onFaulty(ctx, async (s) => {
      const mark = s.printed;
      await exchange({ server: s, send: 'socket-error', expect: 'Response: SOCKET-ERROR' });
      const said = (text: string) => s.linesSince(mark).some((line) => line.includes(text));
      await waitUntil(s, () => said(INJECTED_SOCKET_ERROR) || said('resolved without a `socket`'), 1000);
      ensureRunning(s, "after an 'error' event on its socket");
      if (said('resolved without a `socket`')) {
        throw new CheckFailure({
          summary: 'startServer resolved without a `socket`, so the checker could not test the error handling.',
          expected: 'startServer resolves with { socket, close }, socket being the bound dgram.Socket',
          log: s.linesSince(mark).slice(-8),
          hint: 'Keep the starter\'s contract: resolve({ socket, close }) once the socket is listening.',
        });
      }
      if (!said(INJECTED_SOCKET_ERROR)) {
        throw new CheckFailure({
          summary: "An 'error' event on the running socket was not logged.",
          sent: `an 'error' event on the socket, Error("${INJECTED_SOCKET_ERROR}"), emitted by the checker's processor`,
          expected: `a log line with "${INJECTED_SOCKET_ERROR}", and the server still answering`,
          got: 'no such line within 1000 ms',
          log: s.linesSince(mark).slice(-8),
          hint: "Once the socket is bound, listen for 'error' for good: socket.on('error', (err) => log.error(`Socket error: ${err.message}`)).",
        });
      }
      await exchange({
        server: s,
        ...HELLO,
        hint: "After an 'error' event the socket still works: log the error and keep it open, as the document's `except socket.error: continue` does.",
      });
    }, (summary) =>
      /code 0/.test(summary)
        ? "The server closed after an 'error' event on its running socket. Such an error concerns one operation, not the socket: log it and keep serving. Is the listener meant for the bind (the one that closes the socket and rejects) still registered? Remove it once bound: socket.off('error', thatListener)."
        : "Nothing listened for the 'error' event on the running socket, so Node ended the process. Once bound, listen for it for good: socket.on('error', (err) => log.error(...)).");
  });

  it('logs the EMSGSIZE when a reply is too large to send, and keeps serving', async () => {
    await expectTooLargeReplyLogged(await server(), HELLO);
  });

  it('survives a burst of 1,000 datagrams and answers afterwards', async () => {
    await expectSurvivesBurst(await server(), { send: 'after the burst', expect: 'Response: AFTER THE BURST' });
  });

  it(HOST_CHECK, async (ctx) => {
    await expectHostOption(labPath(SLUG, 'server.ts'), HELLO, (note) => ctx.skip(note), () => early.take(HOST_CHECK, hostCopy));
  });

  it(SIGINT_CHECK, async () => {
    await expectCleanShutdown(labPath(SLUG, 'server.ts'), 'SIGINT', SHUTDOWN('SIGINT'), () => early.take(SIGINT_CHECK, copy));
  });

  it(SIGTERM_CHECK, async () => {
    await expectCleanShutdown(labPath(SLUG, 'server.ts'), 'SIGTERM', SHUTDOWN('SIGTERM'), () => early.take(SIGTERM_CHECK, copy));
  });
});
