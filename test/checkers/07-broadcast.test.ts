// Checker for lab 07: discovery by broadcast. It grades labs/07-broadcast/ (or the tree named by
// WORKBOOK_TARGET) in two parts, over UDP on loopback, broadcasting only to 127.255.255.255:
//   - server.ts, started as a user would: "alpha" with no --host (its own default must hear
//     broadcasts), alone on its port for the checks of one server; and, on a port of their own,
//     alpha again, then "bravo" on the same port with --host 0.0.0.0 (they must share it);
//   - discover() of discover.ts, called in a probe process (support/07-driver.ts, which also
//     records what it sends and refuses anything not for this machine), against discovery
//     servers the checker plays itself (support/07-broadcast.ts), which lose probes, answer late,
//     twice, malformed or forged, in a known order (support/07-discover.ts);
//   - and at the end the two together: the learner's discover() finds the learner's servers.
// The expensive parts (the servers, the probe's scenarios) start early and run side by side;
// each check awaits only what it looks at.
// Where loopback has no broadcast (macOS), every check says so and is skipped.

import { beforeAll, describe, it } from 'vitest';
import {
  CheckFailure,
  checkContext,
  describePayload,
  ensureRunning,
  freePort,
  labPath,
  namesEndpoint,
  skipUnlessLabCode,
  startServer,
  willRun,
  type Scope,
  type ServerProcess,
  type SkipContext,
} from '../../tools/harness/index.ts';
import { BROADCAST, Listener, PROBE, broadcastMissing, type Heard } from './support/07-broadcast.ts';
import {
  Discoveries,
  FIVE,
  FORGED,
  LATE_MS,
  MALFORMED,
  NOBODY_MS,
  compact,
  describeFound,
  foundProblem,
  resolvedValue,
  shownCall,
  type Run,
} from './support/07-discover.ts';
import type { Sent } from './support/07-driver.ts';
import { Early } from './support/server-checks.ts';

const SLUG = '07-broadcast';
const ALPHA = { name: 'alpha', port: 7001 };
const BRAVO = { name: 'bravo', port: 7002 };
const here = (s: { name: string; port: number }) => `HERE ${s.name} ${s.port}`;
const serverArgs = (s: { name: string; port: number }) => ['--name', s.name, '--service-port', String(s.port)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (d: Heard) => d.data.toString('latin1');
async function requireBroadcast(ctx: SkipContext): Promise<void> {
  const why = await broadcastMissing();
  if (why) ctx.skip(why);
}

// ---- the learner's servers: alpha alone; and alpha, then bravo, on another port ----

let soloStarted: Promise<ServerProcess> | undefined;
let alphaStarted: Promise<ServerProcess> | undefined;
let bravoStarted: Promise<ServerProcess> | undefined;

/** server.ts --port P --name alpha --service-port 7001, with no --host: its default must hear broadcasts. */
async function startAlpha(): Promise<ServerProcess> {
  const port = await freePort('0.0.0.0');
  return startServer({ file: labPath(SLUG, 'server.ts'), host: null, port, args: serverArgs(ALPHA), scope: 'file' });
}

/** alpha alone on its port, for the checks of one server: no other server answers its broadcasts. */
function solo(): Promise<ServerProcess> {
  soloStarted ??= startAlpha();
  return soloStarted;
}

/** alpha on a port of its own, where bravo joins it: the checks of two servers, and of discover() with them. */
function alpha(): Promise<ServerProcess> {
  alphaStarted ??= startAlpha();
  return alphaStarted;
}

/** A second copy on alpha's port: bravo. It starts only if both share the port (reuseAddr). */
function bravo(): Promise<ServerProcess> {
  bravoStarted ??= (async () => {
    const a = await alpha();
    const shown = `server.ts --port ${a.port} --host 0.0.0.0 ${serverArgs(BRAVO).join(' ')}`;
    try {
      return await startServer({ file: labPath(SLUG, 'server.ts'), host: '0.0.0.0', port: a.port, args: serverArgs(BRAVO), scope: 'file' });
    } catch (err) {
      if (!(err instanceof CheckFailure)) throw err;
      const { summary, log, hint } = err.details;
      const inUse = [summary, ...(log ?? [])].some((line) => /EADDRINUSE|in use|taken/i.test(line));
      throw new CheckFailure({
        summary: `A second discovery server could not start on port ${a.port}, where the first one (alpha) runs.`,
        sent: `${shown}, while alpha runs on ${a.host}:${a.port}`,
        expected: 'both servers running, sharing the port: each one gets its own copy of every broadcast',
        got: summary,
        log,
        hint: inUse
          ? "The port was taken: every discovery server on a machine binds the same port, and that works only if each socket sets SO_REUSEADDR. Create it with dgram.createSocket({ type: 'udp4', reuseAddr: true })."
          : hint,
      });
    }
  })();
  bravoStarted.catch(() => {}); // awaited, and reported, by the checks that need bravo
  return bravoStarted;
}

/** Bound to one address of loopback other than its broadcast address: it hears no broadcast. */
const deafHost = (host: string) => /^127\./.test(host) && host !== BROADCAST;

/** Fails, with the reason, when the server is bound where no broadcast arrives. */
function expectHears(s: ServerProcess, who: { name: string; port: number }, hostGiven: boolean): void {
  if (!deafHost(s.host)) return;
  throw new CheckFailure({
    summary: `${hostGiven ? 'Started with --host 0.0.0.0' : 'Started without --host'}, your server bound ${s.host}, where no broadcast arrives.`,
    sent: `${s.shownAs} --port ${s.port}${hostGiven ? ' --host 0.0.0.0' : ''} ${serverArgs(who).join(' ')}`,
    expected: `a server bound to 0.0.0.0 (every address), which a probe to ${BROADCAST}:${s.port} reaches`,
    got: s.log.find((line) => line.includes('UDP server listening')) ?? `bound to ${s.host}`,
    hint: `A socket bound to one address receives only what is sent to that address, and a broadcast is sent to ${BROADCAST}. Bind every address, as the document's bind(('', port)) does: ${hostGiven ? 'bind the --host given' : "make --host default to '0.0.0.0'"}.`,
  });
}

/**
 * A client bound to 127.0.0.1, which hears only unicast, and a watcher on 127.255.255.255 at the
 * same port, which hears only broadcasts to it. The watcher binds first: its port may be another
 * program's on 127.0.0.1, and then the next free one is tried.
 */
async function clientWithWatch(scope: Scope = 'test'): Promise<{ client: Listener; watch: Listener }> {
  for (let attempt = 1; ; attempt++) {
    const watch = await Listener.open(BROADCAST, 0, { scope });
    try {
      return { client: await Listener.open('127.0.0.1', watch.port, { scope }), watch };
    } catch (err) {
      watch.socket.close();
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw err;
    }
  }
}

const broadcastReplyHint = (port: number) =>
  `Your server answered by broadcast, to ${BROADCAST}:${port}: the client, bound to 127.0.0.1, never sees it, and every host on a real network would. Answer the one who asked, by unicast: socket.send(REPLY, rinfo.port, rinfo.address, callback). Then the server needs no setBroadcast at all.`;

/** Why a reply is not the one expected, when there is a likely reason. */
function replyHint(got: string, want: { name: string; port: number }, discoveryPort: number): string | undefined {
  if (got === 'Server response') return `That is the document's reply. This protocol's reply names the server: exactly "${here(want)}".`;
  if (got.trim() === here(want)) return 'Only white space differs: send exactly the bytes of "HERE <name> <service port>", with no newline.';
  if (got.includes(String(discoveryPort)) && !got.includes(String(want.port))) {
    return `${discoveryPort} is the discovery port, which the client already knows. The reply announces the service: the port given with --service-port (${want.port}).`;
  }
  if (!got.includes(want.name)) return `The reply must carry the name given with --name (${want.name}): every server on a machine answers from the same 127.0.0.1:${discoveryPort}, so only the name tells them apart.`;
  return `"HERE", one space, the name from --name, one space, the port from --service-port: "${here(want)}".`;
}

const discoveries = new Discoveries(labPath(SLUG, 'discover.ts'));
const scenario = (name: 'five' | 'bad' | 'nobody') => discoveries.scenario(name);

let together: Promise<Run> | undefined;
/** The learner's discover() against the learner's two servers, in a probe of its own. */
function endToEnd(): Promise<Run> {
  together ??= Promise.all([alpha(), bravo()]).then(([a]) => discoveries.call({ port: a.port, timeoutMs: 450, probes: 2 }, undefined, 0, 'together'));
  together.catch(() => {});
  return together;
}

const ANSWERS_CHECK = 'answers a DISCOVER broadcast with "HERE alpha 7001", from its port';
const JITTER_CHECK = 'waits a random 20 to 120 ms before each reply, drawn afresh each time';
const ONLY_PROBES_CHECK = 'answers nothing but the exact probe: not HERE, not "discover", not garbage';
const SHARES_CHECK = 'shares its port: a second server starts, and both answer one broadcast';
const UNICAST_CHECK = 'replies by unicast, never to a broadcast address';
const TOGETHER_CHECK = 'finds your own two servers with your discover()';
const CTRL_C_CHECK = 'stops on Ctrl+C without a crash, even with replies still waiting';
const CLIENT_CHECKS: [check: string, scenario: 'five' | 'bad' | 'nobody'][] = [
  ['sends DISCOVER to 127.255.255.255:PORT, `probes` times, spaced out', 'five'],
  ['finds five servers through lost probes and duplicates, sorted by name', 'five'],
  ['collects replies until timeoutMs has passed, then resolves', 'five'],
  ['closes its socket and clears its timers when done', 'five'],
  ['ignores malformed replies, and replies from any other port', 'bad'],
  ['resolves with an empty list when nobody answers', 'nobody'],
];

const early = new Early();

/**
 * Starts, as the file begins, what the checks that are going to run need: alpha alone, for the
 * checks of one server; alpha and bravo on another port, where the checks of two servers run
 * early, one after another (Ctrl+C, which ends bravo, last), while discover() looks for them; and
 * the scenarios of discover(), side by side. Each check takes what it looks at, or runs it itself
 * if nothing was started: the verdict is the same either way.
 */
async function warmUp(): Promise<void> {
  if (await broadcastMissing()) return;
  const labCode = !checkContext().server;
  // The longest first: alpha, which bravo joins, which discover() then finds; then the scenario
  // of five servers.
  const pairNeeded = [SHARES_CHECK, UNICAST_CHECK, CTRL_C_CHECK].some((check) => willRun(check)) || (labCode && willRun(TOGETHER_CHECK));
  if (pairNeeded) void alpha().catch(() => {});
  if (labCode) {
    const wanted = new Set(CLIENT_CHECKS.filter(([check]) => willRun(check)).map(([, name]) => name));
    for (const name of ['five', 'nobody', 'bad'] as const) if (wanted.has(name)) void scenario(name);
  }
  if ([ANSWERS_CHECK, JITTER_CHECK, ONLY_PROBES_CHECK].some((check) => willRun(check))) void solo().catch(() => {});
  if (pairNeeded) {
    const pair = bravo().catch(() => {});
    const found = labCode && willRun(TOGETHER_CHECK) ? endToEnd().catch(() => {}) : Promise.resolve();
    const shares = early.start(SHARES_CHECK, sharesRun, [pair]);
    const unicast = early.start(UNICAST_CHECK, unicastRun, [pair, shares]);
    early.start(CTRL_C_CHECK, ctrlCRun, [pair, shares, unicast, found]);
  }
}

/** bravo beside alpha on its port: both answer one broadcast. */
async function sharesRun(scope: Scope): Promise<void> {
  const a = await alpha();
  const b = await bravo();
  const client = await Listener.open('127.0.0.1', 0, { scope });
  const want = [here(ALPHA), here(BRAVO)];
  const sent = `"DISCOVER" (8 B) from ${client.endpoint} to ${BROADCAST}:${a.port}; alpha runs on ${a.host}:${a.port}, bravo on ${b.host}:${b.port}`;
  const expected = `"${want[0]}" and "${want[1]}", both from 127.0.0.1:${a.port}`;
  expectHears(b, BRAVO, true);
  await client.send(PROBE, { address: BROADCAST, port: a.port });
  const both = (inbox: readonly Heard[]) => want.every((w) => inbox.some((d) => d.port === a.port && text(d) === w));
  const answered = await client.until(both, 1000);
  if (answered) return;
  ensureRunning(a, 'while a second server shared its port');
  ensureRunning(b, 'while sharing the port with alpha');
  const got = client.inbox.map((d) => `${describePayload(d.data)} from ${d.address}:${d.port}`);
  throw new CheckFailure({
    summary: `Two servers share port ${a.port}, but ${got.length === 0 ? 'neither' : 'not both'} answered the broadcast.`,
    sent,
    expected,
    got: got.length > 0 ? got.join('\n') : 'nothing within 1000 ms',
    log: [...a.tail(4).map((l) => `alpha: ${l}`), ...b.tail(4).map((l) => `bravo: ${l}`)],
    hint: deafHost(a.host)
      ? `alpha, started without --host, is bound to ${a.host}, where no broadcast arrives: make --host default to '0.0.0.0'.`
      : 'Every socket bound to the port on 0.0.0.0 gets its own copy of a broadcast: each server should answer it (the first check shows how).',
  });
}

/** Two probes to alpha and bravo, watched on the broadcast address. */
async function unicastRun(scope: Scope): Promise<void> {
  const a = await alpha();
  const b = await bravo().catch(() => undefined);
  const servers = b ? [a, b] : [a];
  let portWatch: Listener;
  try {
    portWatch = await Listener.open(BROADCAST, a.port, { reuseAddr: true, scope });
  } catch (err) {
    throw new CheckFailure({
      summary: `The checker could not listen on ${BROADCAST}:${a.port} beside your server: it does not share its port.`,
      expected: 'a socket with reuseAddr can join the discovery port, as every other discovery server must',
      got: `bind failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      log: a.tail(),
      hint: "Create the socket with reuseAddr: dgram.createSocket({ type: 'udp4', reuseAddr: true }).",
    });
  }
  const { client, watch } = await clientWithWatch(scope);
  for (let i = 0; i < 2; i++) {
    await client.send(PROBE, { address: BROADCAST, port: a.port });
    await sleep(20);
  }
  await client.until((inbox) => inbox.length >= 2 * servers.length, 1000);
  await sleep(50);
  const fromServers = portWatch.heard.filter((d) => d.port === a.port || !d.data.equals(Buffer.from(PROBE)));
  const sent = `two "DISCOVER" broadcasts from ${client.endpoint} to ${BROADCAST}:${a.port}, to ${servers.length === 2 ? 'alpha and bravo' : 'alpha'}; the checker listened on ${BROADCAST}:${a.port} and ${BROADCAST}:${client.port}`;
  const expected = `replies to ${client.endpoint} only, and nothing at all on ${BROADCAST}`;
  if (watch.heard.length > 0) {
    throw new CheckFailure({
      summary: `A reply went to ${BROADCAST}:${client.port}, the broadcast address, instead of to the client.`,
      sent,
      expected,
      got: watch.heard.map((d) => `${describePayload(d.data)} from ${d.address}:${d.port}`).join('\n'),
      log: a.tail(),
      hint: broadcastReplyHint(client.port),
    });
  }
  if (fromServers.length > 0) {
    throw new CheckFailure({
      summary: `Your server sent a broadcast to the discovery port ${a.port}: every server there hears it.`,
      sent,
      expected,
      got: fromServers.map((d) => `${describePayload(d.data)} from ${d.address}:${d.port} to ${BROADCAST}:${a.port}`).join('\n'),
      log: a.tail(),
      hint: `A reply goes to the one who asked, by unicast: socket.send(REPLY, rinfo.port, rinfo.address, callback). A server that broadcasts wakes every host on the network, and every other server hears it.`,
    });
  }
}

/** Ctrl+C to bravo (or alpha, if bravo could not start), with replies waiting: the last of the pair's checks. */
async function ctrlCRun(scope: Scope): Promise<void> {
  const a = await alpha();
  const b = await bravo().catch(() => undefined);
  // The last of the pair's checks: the server it stops is not needed after it.
  const [s, who] = b ? [b, BRAVO] : [a, ALPHA];
  const client = await Listener.open('127.0.0.1', 0, { scope });
  for (let i = 0; i < 5; i++) await client.send(PROBE, { address: BROADCAST, port: a.port });
  // Its first reply says that the other four are waiting for their delays.
  await client.until((inbox) => inbox.some((d) => text(d).includes(who.name)), 1000);
  s.signal('SIGINT');
  const exit = await s.waitForClose(1500);
  if (exit && (exit.signal === 'SIGINT' || exit.code === 0)) return;
  const sent = `5 probes to ${BROADCAST}:${a.port}; once ${who.name} had answered one of them, SIGINT (Ctrl+C) to ${who.name}`;
  const expected = 'the server stops (exit code 0, or killed by SIGINT) with nothing on stderr: its waiting replies are cancelled';
  if (!exit) {
    throw new CheckFailure({
      summary: `${who.name} was still running 1.5 s after Ctrl+C.`,
      sent,
      expected,
      got: 'still running',
      log: s.tail(),
      hint: 'Close the socket in the SIGINT handler, and clear the timers of the replies still waiting (the starter keeps them in `pending`): an open socket or a pending timer keeps the process alive.',
    });
  }
  const crash = s.crashReport();
  throw new CheckFailure({
    summary: `After Ctrl+C, ${who.name} ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}.`,
    sent,
    expected,
    got: crash?.log.join('\n') || `exit code ${exit.code}`,
    hint: crash?.log.some((line) => /ERR_SOCKET_DGRAM_NOT_RUNNING|Not running/.test(line))
      ? 'A reply still waiting for its delay fired after the socket was closed, and send on a closed socket throws. Keep every timer in `pending` (add it when you start it, delete it when it fires): the SIGINT handler clears them all before closing.'
      : 'Stop without an error: close the socket, clear the timers of the replies still waiting, and let the process end by itself.',
  });
}

describe('lab 07: discovery by broadcast', () => {
  beforeAll(() => {
    void warmUp();
  });

  describe('the discovery server (server.ts)', () => {
    it(ANSWERS_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      const s = await solo();
      const { client, watch } = await clientWithWatch();
      const sent = `"DISCOVER" (8 B) from ${client.endpoint} to ${BROADCAST}:${s.port}; the server was started with --name alpha --service-port 7001 and no --host`;
      const expected = `"${here(ALPHA)}" (15 B) from 127.0.0.1:${s.port}, to ${client.endpoint} alone, 20 to 120 ms later`;
      expectHears(s, ALPHA, false);
      await client.send(PROBE, { address: BROADCAST, port: s.port });
      const arrived = await client.until((inbox) => inbox.length > 0, 1000);
      const reply = client.inbox[0];
      if (!arrived || !reply) {
        await sleep(50); // let an exit under way be seen
        ensureRunning(s, 'after a DISCOVER broadcast');
        const seen = s.log.some((line) => namesEndpoint(line, { address: '127.0.0.1', port: client.port }));
        throw new CheckFailure({
          summary: watch.heard.length > 0 ? 'The reply was broadcast, not sent to the client.' : 'No reply came back.',
          sent,
          expected,
          got: watch.heard.length > 0 ? `nothing at ${client.endpoint}; ${describePayload(watch.heard[0]!.data)} to ${BROADCAST}:${client.port}` : 'nothing within 1000 ms',
          log: s.tail(),
          hint:
            watch.heard.length > 0
              ? broadcastReplyHint(client.port)
              : seen
                ? 'Your server received the probe (the log names the client) but sent nothing back. After the delay, send REPLY to rinfo.port and rinfo.address.'
                : `Nothing in the log names the client. Does the 'message' handler run? Is the socket bound to ${BROADCAST}'s network (--host 0.0.0.0 by default)?`,
        });
      }
      if (reply.port !== s.port) {
        throw new CheckFailure({
          summary: `The reply came from port ${reply.port}, not from the discovery port ${s.port}.`,
          sent,
          expected,
          got: `${describePayload(reply.data)} from ${reply.address}:${reply.port}`,
          log: s.tail(),
          hint: 'Send the reply from the socket that received the probe: clients accept only replies from the discovery port (anyone can send from elsewhere).',
        });
      }
      if (text(reply) !== here(ALPHA)) {
        throw new CheckFailure({
          summary: 'The reply is not "HERE <name> <service port>".',
          sent,
          expected,
          got: describePayload(reply.data),
          log: s.tail(),
          hint: replyHint(text(reply), ALPHA, s.port),
        });
      }
    });

    it(JITTER_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      const s = await solo();
      // Twenty pairs of probes, each probe from a client of its own: the two of a pair go out
      // together, the pairs 6 ms apart. Each reply's delay is measured from its own probe. Two
      // probes that arrive together and get the same delay come back together, however loaded
      // the machine: so a delay drawn once is told from delays drawn afresh by the pairs, not by
      // the delays themselves, which the machine's load can spread. Two fresh draws from 20–120 ms
      // come back within 5 ms of each other one time in ten; twelve pairs of twenty, once in
      // twenty million runs. (A busy machine can part a pair now and then, so a delay drawn once
      // need not keep every pair together: twelve of twenty is enough.)
      const PAIRS = 20;
      const TOGETHER = 12;
      const sent = `${2 * PAIRS} probes to ${BROADCAST}:${s.port}, from ${2 * PAIRS} clients: ${PAIRS} pairs sent together, the pairs 6 ms apart`;
      const expected = 'one reply to each probe, each after its own delay drawn from 20–120 ms: two probes sent together get different delays';
      expectHears(s, ALPHA, false);
      const clients = await Promise.all(Array.from({ length: 2 * PAIRS }, () => Listener.open('127.0.0.1')));
      const sentAt: number[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const pair = [clients[2 * p]!, clients[2 * p + 1]!];
        await Promise.all(
          pair.map((c) => {
            sentAt.push(performance.now());
            return c.send(PROBE, { address: BROADCAST, port: s.port });
          }),
        );
        await sleep(6);
      }
      const deadline = performance.now() + 1000;
      for (const c of clients) await c.until((inbox) => inbox.length > 0, Math.max(0, deadline - performance.now()));
      await sleep(30); // a second reply, if any
      ensureRunning(s, `after ${2 * PAIRS} probes`);
      const counts = clients.map((c) => c.inbox.length);
      const missing = counts.filter((n) => n === 0).length;
      const doubled = counts.filter((n) => n > 1).length;
      const arrived = clients.map((c) => c.inbox[0]?.at);
      const delays = arrived.flatMap((at, i) => (at === undefined ? [] : [at - sentAt[i]!])).sort((a, b) => a - b);
      const shown = (ds: number[]) => ds.map((d) => d.toFixed(1)).join(', ');
      if (doubled > 0) {
        throw new CheckFailure({
          summary: `${doubled} of ${2 * PAIRS} probes got more than one reply.`,
          sent,
          expected,
          got: `${counts.join(', ')} replies to the ${2 * PAIRS} probes`,
          log: s.tail(),
          hint: 'One probe, one reply: look for a reply sent at once and again after the delay, or a handler registered twice.',
        });
      }
      if (missing > 0) {
        throw new CheckFailure({
          summary: `${missing} of ${2 * PAIRS} probes got no reply within 1 s.`,
          sent,
          expected,
          got: delays.length > 0 ? `replies to ${delays.length} probes, after ${shown(delays)} ms` : 'no reply at all',
          log: s.tail(),
          hint:
            delays.length === 0
              ? 'Answer each probe: see the first check.'
              : 'RFC 6762 waits at most 120 ms, so that a client collecting for a second hears everyone. Draw the delay as MIN_DELAY_MS + Math.random() * (MAX_DELAY_MS - MIN_DELAY_MS).',
        });
      }
      const gaps = Array.from({ length: PAIRS }, (_, p) => Math.abs(arrived[2 * p]! - arrived[2 * p + 1]!));
      const together = gaps.filter((g) => g < 5).length;
      const early = delays[0]!;
      const median = delays[PAIRS]!;
      const problem =
        early < 18
          ? { summary: `A reply came ${early.toFixed(1)} ms after its probe: no delay.`, hint: 'Every server hears the same probe at the same moment; answering at once, they all reach the client together. Wait MIN_DELAY_MS + Math.random() * (MAX_DELAY_MS - MIN_DELAY_MS) with setTimeout before sending.' }
          : median > 200
            ? { summary: `Half the replies took more than ${median.toFixed(0)} ms.`, hint: 'The delay is drawn from 20 to 120 ms (RFC 6762, section 6): milliseconds, not seconds, and no more than MAX_DELAY_MS.' }
            : together >= TOGETHER
              ? {
                  summary: `In ${together} of ${PAIRS} pairs of probes sent together, the two replies came back together too: the same delay for both.`,
                  hint: 'Draw the delay for each reply, inside the message handler. A delay drawn once, when the server starts, is the same for every probe: two servers that drew close delays collide on every probe, forever.',
                }
              : undefined;
      if (!problem) return;
      throw new CheckFailure({
        ...problem,
        sent,
        expected,
        got: `delays ${shown(delays)} ms; the two replies of each pair ${shown(gaps)} ms apart`,
        log: s.tail(),
      });
    });

    it(ONLY_PROBES_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      const s = await solo();
      const others: [string, Buffer | string][] = [
        ["another server's reply", here(BRAVO)],
        ['its own reply', here(ALPHA)],
        ['lower case', 'discover'],
        ['a longer word', 'DISCOVERY'],
        ['the probe and more', 'DISCOVER me'],
        ['an empty datagram', Buffer.alloc(0)],
        ['bytes that are not text', Buffer.from([0xff, 0xfe, 0x00, 0x80])],
        ['a greeting', 'hello'],
      ];
      const sent = `to ${BROADCAST}:${s.port}, each from a client of its own: ${others.map(([, data]) => compact(data)).join(', ')}; then a probe`;
      const expected = 'no answer to any of them, and an answer to the probe after them';
      expectHears(s, ALPHA, false);
      const clients = await Promise.all(others.map(() => Listener.open('127.0.0.1')));
      for (const [i, [, data]] of others.entries()) {
        await clients[i]!.send(data, { address: BROADCAST, port: s.port });
        await sleep(2);
      }
      // Then a probe: once its answer is in, and 150 ms more, an answer to any of the others
      // would be in too, however slow a busy machine makes the server.
      const marker = await Listener.open('127.0.0.1');
      await marker.send(PROBE, { address: BROADCAST, port: s.port });
      const markerAnswered = await marker.until((inbox) => inbox.length > 0, 1000);
      await sleep(150);
      ensureRunning(s, `after ${others.length} datagrams that are not probes`);
      const answered = others.filter((_, i) => clients[i]!.inbox.length > 0);
      if (answered.length === 0 && markerAnswered) return;
      if (answered.length === 0) {
        throw new CheckFailure({
          summary: 'After datagrams that are not probes, a probe got no answer.',
          sent,
          expected,
          got: `no answer to the probe from ${marker.endpoint} within 1000 ms`,
          log: s.tail(),
          hint: "If the first check fails too, start there: it says why a probe gets no answer. If it passes, your server stops answering after what is not a probe: ignore it (return from the 'message' handler), and never close the socket or throw there.",
        });
      }
      const got = others
        .map(([label, data], i) => [label, data, clients[i]!.inbox[0]] as const)
        .filter(([, , reply]) => reply)
        .map(([label, data, reply]) => `${compact(data)} (${label}) got ${describePayload(reply!.data)}`);
      const labels = answered.map(([label]) => label);
      throw new CheckFailure({
        summary: `${answered.length} of ${others.length} datagrams that are not the probe got an answer.`,
        sent,
        expected,
        got: got.join('\n'),
        log: s.tail(),
        hint:
          labels.length === others.length
            ? 'Your server answers anything, as the document\'s does. Answer only the probe: if (!msg.equals(PROBE)) return;'
            : labels.some((l) => l.includes('reply'))
              ? "Answering a HERE makes two servers answer each other's answers forever, each reply a broadcast's worth of traffic. Compare the whole datagram with the probe: msg.equals(PROBE)."
              : labels.some((l) => l === 'a longer word' || l === 'the probe and more')
                ? 'startsWith(PROBE) or includes(PROBE) is not "exactly": compare the whole datagram, msg.equals(PROBE).'
                : 'The probe is exactly the 8 bytes "DISCOVER", in capitals: compare the whole datagram, msg.equals(PROBE).',
      });
    });

    it(SHARES_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      await early.take(SHARES_CHECK, sharesRun);
    });

    it(UNICAST_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      await early.take(UNICAST_CHECK, unicastRun);
    });

  });

  describe('the client (discover.ts)', () => {
    it('sends DISCOVER to 127.255.255.255:PORT, `probes` times, spaced out', async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const run = await scenario('five');
      const { sends } = resolvedValue(run, 'probes, then the servers found');
      const { port, probes } = run.options;
      const shown = (s: Sent) => `${describePayload(Buffer.from(s.text, 'latin1'))} to ${s.address}:${s.port} at ${s.at} ms`;
      const sent = `${shownCall(run.options)}, with five servers listening on ${BROADCAST}:${port}`;
      const expected = `${probes} datagrams "DISCOVER" (8 B) to ${BROADCAST}:${port}, at least 10 ms apart`;
      const fail = (summary: string, hint: string) => {
        throw new CheckFailure({ summary, sent, expected, got: sends.length > 0 ? sends.map(shown).join('\n') : 'nothing sent', hint });
      };
      if (sends.length === 0) fail('discover() sent nothing.', `Send PROBE to BROADCAST_ADDRESS:port with socket.send, once the socket is bound.`);
      const wrongPlace = sends.find((s) => s.address !== BROADCAST || s.port !== port);
      if (wrongPlace) {
        fail(
          `A probe went to ${wrongPlace.address}:${wrongPlace.port}, not to ${BROADCAST}:${port}.`,
          wrongPlace.port === port
            ? `A unicast probe reaches one server at most. Broadcast it: to ${BROADCAST}, with setBroadcast(true).`
            : 'The probe goes to the discovery port the servers share: options.port.',
        );
      }
      const wrongBytes = sends.find((s) => s.text !== PROBE || s.size !== 8);
      if (wrongBytes) fail(`A probe is ${describePayload(Buffer.from(wrongBytes.text, 'latin1'))}, not "DISCOVER".`, 'The probe is exactly the 8 bytes "DISCOVER": no newline, nothing else.');
      if (sends.length !== probes) {
        fail(
          `discover() sent ${sends.length} probe${sends.length === 1 ? '' : 's'}, not ${probes}.`,
          sends.length < probes
            ? `Send \`probes\` probes: a probe can be lost, and so can a reply, and the next probe gives every server another chance. Here ${FIVE.filter((f) => f.story.includes('only your')).map((f) => `${f.name} ${f.story}`).join('; ')}.`
            : 'Exactly `probes` probes: every probe makes every server on the network answer.',
        );
      }
      const gaps = sends.slice(1).map((s, i) => s.at - sends[i]!.at);
      if (gaps.some((g) => g < 10)) {
        fail(
          `The probes went out ${gaps.map((g) => `${g.toFixed(1)} ms`).join(' and ')} apart: a burst.`,
          'Losses come in bursts (a full buffer, a busy link): probes sent together are lost together. Space them out, timeoutMs / (2 × probes) apart, with setTimeout between one probe and the next.',
        );
      }
      if (run.stand && run.stand.probes.length === 0) {
        fail('The probes never arrived.', 'The sends seem to have failed without a word: pass a callback to socket.send and reject on its error (EACCES without setBroadcast).');
      }
    });

    it('finds five servers through lost probes and duplicates, sorted by name', async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const run = await scenario('five');
      const expected = FIVE.map((f) => `${f.name} 127.0.0.1:${f.port}`).join(', ');
      const { value, sends } = resolvedValue(run, `[${expected}]`);
      const story = (name: string) => FIVE.find((f) => f.name === name)?.story;
      const problem = foundProblem(value, FIVE, true, (name) => {
        const s = story(name);
        if (!s) return 'Only what a server announced counts.';
        if (/only your 3rd/.test(s) && sends.length < 3) return `${name} ${s}, and you sent ${sends.length}: send \`probes\` probes.`;
        if (/twice/.test(s)) return `${name} ${s}: keep one entry per name.`;
        if (/ms after it/.test(s)) return `${name} ${s}: collect replies until timeoutMs has passed, not just for a while after the last probe.`;
        return `${name} ${s}. Collect every reply from the discovery port until the timeout, and keep each name once.`;
      });
      if (!problem) return;
      throw new CheckFailure({
        summary: problem.summary,
        sent: `${shownCall(run.options)}, with five servers on ${BROADCAST}:${run.options.port}: ${FIVE.map((f) => `${f.name} ${f.story}`).join('; ')}`,
        expected: `[${expected}]`,
        got: `${describeFound(value)}, after ${run.outcome.ms} ms`,
        hint: problem.hint,
      });
    });

    it('collects replies until timeoutMs has passed, then resolves', async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const run = await scenario('five');
      const { value, ms } = resolvedValue(run, 'the servers found, once the timeout has passed');
      const { timeoutMs } = run.options;
      if (ms >= timeoutMs - 5 && ms <= timeoutMs + 1500) return;
      throw new CheckFailure({
        summary: ms < timeoutMs ? `discover() resolved after ${ms} ms, before its timeout of ${timeoutMs} ms.` : `discover() took ${ms} ms, far past its timeout of ${timeoutMs} ms.`,
        sent: `${shownCall(run.options)}; delta answers only the 1st probe, ${LATE_MS} ms after it`,
        expected: `resolved about ${timeoutMs} ms after the call`,
        got: `resolved after ${ms} ms with ${describeFound(value)}`,
        hint:
          ms < timeoutMs
            ? 'A reply never says "that was the last one": any server may still answer. Resolve only when the timer of timeoutMs fires.'
            : 'Start the timer of timeoutMs when discover() starts (or once bound), and resolve when it fires.',
      });
    });

    it('closes its socket and clears its timers when done', async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const run = await scenario('five');
      resolvedValue(run, 'the servers found');
      const open = run.outcome.settled === 'resolved' ? run.outcome.open : [];
      const sockets = open.filter((r) => /^udpwrap$/i.test(r)).length;
      const timers = open.filter((r) => /^timeout$/i.test(r)).length;
      if (sockets === 0 && timers === 0) return;
      const what = [sockets > 0 && `${sockets} UDP socket${sockets === 1 ? '' : 's'}`, timers > 0 && `${timers} timer${timers === 1 ? '' : 's'}`].filter(Boolean).join(' and ');
      throw new CheckFailure({
        summary: `discover() left ${what} running after it resolved: a program that calls it would never end.`,
        sent: shownCall(run.options),
        expected: 'nothing of discover() still open 100 ms after it resolved',
        got: `${what} still open`,
        hint:
          sockets > 0
            ? 'Close the socket when the timeout fires, and on every other way out (a failed send).'
            : 'Clear every timer before resolving: the probes still to be sent, and the timeout itself if something else ended the search.',
      });
    });

    it('ignores malformed replies, and replies from any other port', async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const run = await scenario('bad');
      const want = [
        { name: 'kilo', port: 7011 },
        { name: 'lima', port: 7012 },
      ];
      const { value } = resolvedValue(run, '[kilo 127.0.0.1:7011, lima 127.0.0.1:7012]');
      const problem = foundProblem(value, want, true, (name) => {
        if (name === 'mallory' || name === 'kilo') {
          return `"HERE ${name} 6666" came from 127.0.0.1 but another port than ${run.options.port}, before kilo's real reply. Every discovery server answers from the discovery port: accept a reply only if rinfo.port === port.`;
        }
        if (name === '') return '"HERE  7001" has no name: two spaces. A name is 1 to 63 printable ASCII characters.';
        const bad = MALFORMED.map((m) => (typeof m === 'string' ? Buffer.from(m, 'latin1') : m)).find((m) => m.toString('latin1').includes(` ${name}`));
        return bad
          ? `${describePayload(bad)} is not "HERE <name> <port>": ${/abc|1e3|\.5|-1| 0$|65536/.test(bad.toString('latin1')) ? 'the port must be 1 to 5 digits, 1 to 65535, nothing else (parseInt reads "7001abc" as 7001, Number reads "1e3" as 1000)' : '"HERE" in capitals, one space, a name of 1 to 63 printable ASCII characters, one space, the port, and nothing more'}. A strict pattern does it: /^HERE ([!-~]{1,63}) ([1-9][0-9]{0,4})$/ on data.toString('latin1'), then the port <= 65535.`
          : 'Accept only "HERE <name> <port>" exactly, from the discovery port.';
      });
      if (!problem) return;
      throw new CheckFailure({
        summary: problem.summary,
        sent: `${shownCall(run.options)}; kilo and lima answer, and so do ${MALFORMED.map(compact).join(', ')} from the discovery port, and ${FORGED.map(compact).join(', ')} from another port`,
        expected: '[kilo 127.0.0.1:7011, lima 127.0.0.1:7012]',
        got: describeFound(value),
        hint: problem.hint,
      });
    });

    it('resolves with an empty list when nobody answers', async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const run = await scenario('nobody');
      const { value, ms } = resolvedValue(run, `[] after about ${NOBODY_MS} ms`);
      if (Array.isArray(value) && value.length === 0 && ms >= NOBODY_MS - 5) return;
      throw new CheckFailure({
        summary: Array.isArray(value) && value.length === 0 ? `discover() resolved after ${ms} ms, before its timeout.` : 'discover() did not resolve with an empty list.',
        sent: `${shownCall(run.options)}, where a server listens but never answers`,
        expected: `[] after about ${NOBODY_MS} ms`,
        got: `${describeFound(value)} after ${ms} ms`,
        hint: 'Nobody answering is an answer, not an error: resolve with [] when the timeout fires.',
      });
    });
  });

  describe('both together', () => {
    it(TOGETHER_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      skipUnlessLabCode(ctx, 'discover()');
      const a = await alpha();
      await bravo();
      const run = await endToEnd();
      const want = [ALPHA, BRAVO];
      const { value } = resolvedValue(run, '[alpha 127.0.0.1:7001, bravo 127.0.0.1:7002]');
      const problem = foundProblem(value, want, false, () =>
        'Your servers and your discover() meet here. Fix the checks above first; once they pass, look at what differs with real servers: each one answers every probe, 20 to 120 ms later.',
      );
      if (!problem) return;
      throw new CheckFailure({
        summary: problem.summary,
        sent: `${shownCall(run.options)}, with your server.ts running twice on port ${a.port}: alpha (service port 7001) and bravo (7002)`,
        expected: '[alpha 127.0.0.1:7001, bravo 127.0.0.1:7002]',
        got: describeFound(value),
        log: a.tail(),
        hint: problem.hint,
      });
    });

    it(CTRL_C_CHECK, async (ctx) => {
      await requireBroadcast(ctx);
      await early.take(CTRL_C_CHECK, ctrlCRun);
    });
  });
});
