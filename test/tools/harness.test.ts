import { mkdtempSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  cleanupAll,
  describePayload,
  inScope,
  exchange,
  namesEndpoint,
  openResources,
  randomBytes,
  reportLine,
  seededRandom,
  contextFromEnv,
  contextToEnv,
  setCheckContext,
  checkContext,
  willRun,
  spawnServer,
  startServer,
  type ServerProcess,
} from '../../tools/harness/index.ts';
import { ROOT } from '../../tools/course/paths.ts';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', 'servers', name);

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function udpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => /^udpwrap$/i.test(r)).length;
}

async function failureOf(promise: Promise<unknown>): Promise<CheckFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckFailure);
  return error as CheckFailure;
}

let spawned: ServerProcess[] = [];
afterEach(async () => {
  await cleanupAll();
  // Nothing the harness started may survive a test, passed or failed.
  for (const s of spawned) expect(isAlive(s.child.pid)).toBe(false);
  spawned = [];
  expect(openResources()).toBe(0);
});

async function start(name: string, readyTimeoutMs = 10_000): Promise<ServerProcess> {
  const server = await startServer({ file: fixture(name), readyTimeoutMs });
  spawned.push(server);
  return server;
}

describe('harness: starting servers', () => {
  it('reports a server that never prints its ready line, with its output, and kills it', async () => {
    const failure = await failureOf(startServer({ file: fixture('never-ready.ts') }));
    expect(failure.details.log).toContain('bound, but I forgot the ready line');
    if (process.platform === 'linux') {
      // It sits idle once bound: the wait ends then, and says which port it bound instead.
      expect(failure.details.summary).toMatch(/^Your server printed no ready line, and has been idle for 1\.5 s after starting \(it is bound to port \d+\)\.$/);
      expect(failure.details.hint).toMatch(/^It was asked for port \d+ and bound \d+: bind the port that --port names\.$/);
    } else {
      expect(failure.details.summary).toBe('Your server did not print its ready line within 10 s.');
    }
    expect(openResources()).toBe(0); // the process was stopped before the failure was thrown
  });

  it('reports a server that binds another port than it was asked for', async () => {
    const failure = await failureOf(startServer({ file: fixture('favourite-port.ts') }));
    expect(failure.details.summary).toMatch(/^You were asked for port (\d+) and bound (\d+)\.$/);
    expect(failure.details.hint).toMatch(/Read the port from the --port option/);
  });

  it('reports a server that exits at once with its exit code and stderr', async () => {
    const failure = await failureOf(startServer({ file: fixture('exits-at-once.ts') }));
    expect(failure.details.summary).toMatch(/^Your server exited with code 3 /);
    expect(failure.details.log).toEqual(['something went wrong before bind']);
  });

  it('names the file, line and column of a syntax error, without the tooling stack', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'workbook-syntax-'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const file = path.join(dir, 'server.ts');
    writeFileSync(file, 'const a = 1;\nconst b = ;\n');
    const failure = await failureOf(startServer({ file }));
    expect(failure.details.log).toEqual([`Syntax error in ${file}, line 2, column 10: Unexpected ";"`]);
    expect(failure.message).not.toMatch(/esbuild|node_modules|\bat /);
  });

  it('reports a missing file as advice', async () => {
    const failure = await failureOf(startServer({ file: fixture('no-such-server.ts') }));
    expect(failure.details.summary).toMatch(/^There is no .*no-such-server\.ts\.$/);
  });

  it('spawns a server that is expected to stop by itself, and keeps all it printed', async () => {
    const server = spawnServer({ file: fixture('exits-at-once.ts') });
    spawned.push(server);
    expect(await server.waitForClose(10_000)).toEqual({ code: 3, signal: null });
    expect(server.stderr).toEqual(['something went wrong before bind']);
    expect(server.crashReport()?.summary).toMatch(/^Your server exited with code 3 /);
  });

  it('counts every line printed, and finds the lines since a mark after the log is full', async () => {
    const server = spawnServer({ file: fixture('prints-many-lines.ts') });
    spawned.push(server);
    expect(await server.waitForClose(10_000)).toEqual({ code: 0, signal: null });
    expect(server.printed).toBe(600);
    expect(server.log).toHaveLength(500);
    expect(server.linesSince(597)).toEqual(['line 598', 'line 599', 'line 600']);
    expect(server.linesSince(600)).toEqual([]);
    expect(server.linesSince(0)[0]).toBe('line 101');
  });

  it('reports a server still running when waitForClose gives up', async () => {
    const server = spawnServer({ file: fixture('never-answers.ts') });
    spawned.push(server);
    expect(await server.waitForClose(200)).toBeUndefined();
    expect(server.exit).toBeUndefined();
  });

  it('spawnServer reports a missing file as advice', () => {
    expect(() => spawnServer({ file: fixture('no-such-server.ts') })).toThrow(CheckFailure);
  });

  it('reads the real port from the ready line', async () => {
    const server = await start('never-answers.ts');
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
  });
});

describe('harness: exchanging datagrams', () => {
  it('reports a server that never answers: what was sent, what was expected, nothing within the timeout', async () => {
    const server = await start('never-answers.ts');
    const failure = await failureOf(exchange({ server, send: 'hello', expect: 'Echo: hello', timeoutMs: 300 }));
    expect(failure.details.summary).toBe('No reply came back.');
    expect(failure.details.sent).toMatch(/^"hello" \(5 B\) from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:\d+$/);
    expect(failure.details.expected).toBe('"Echo: hello" (11 B)');
    expect(failure.details.got).toBe('nothing within 300 ms');
    expect(failure.details.log).toContain('got 5 bytes, not answering');
  });

  it('reports a reply that comes from the wrong port', async () => {
    const server = await start('wrong-port.ts');
    const failure = await failureOf(exchange({ server, send: 'hi', expect: 'Echo: hi' }));
    expect(failure.details.summary).toMatch(/^The reply came from 127\.0\.0\.1:\d+, not from the server's address 127\.0\.0\.1:\d+\.$/);
    expect(failure.details.hint).toMatch(/same socket|socket that received/);
  });

  it('reports a server that crashes on a datagram with its exit code and the error', async () => {
    const server = await start('crashes-on-message.ts');
    const failure = await failureOf(exchange({ server, send: 'boom', expect: 'anything' }));
    expect(failure.details.summary).toMatch(/^Your server exited with code 1 .*after it received "boom" \(4 B\)\.$/);
    expect(failure.details.log?.join('\n')).toMatch(/TypeError: cannot handle 4 bytes/);
    expect(failure.details.log?.join('\n')).not.toMatch(/node:internal|node_modules/);
  });

  it('closes the sockets it opened, even when the check fails', async () => {
    const before = udpHandles();
    const server = await start('never-answers.ts');
    const client = await UdpClient.open();
    await failureOf(exchange({ server, client, send: 'x', expect: 'y', timeoutMs: 100 }));
    expect(openResources()).toBe(2); // the server process and the client socket
    await cleanupAll();
    for (let i = 0; i < 20 && udpHandles() > before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(udpHandles()).toBeLessThanOrEqual(before);
    expect(client.socket.address.bind(client.socket)).toThrow(); // closed
  });

  it("keeps what work started for the file opens, even deep inside it, past the end of the check running then", async () => {
    const mine = await UdpClient.open();
    const early = await inScope('file', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return UdpClient.open(); // no scope named: the ambient one
    });
    const explicit = await inScope('file', () => UdpClient.open('127.0.0.1', 'test'));
    await cleanupAll('test');
    expect(mine.socket.address.bind(mine.socket)).toThrow(); // closed with the check
    expect(explicit.socket.address.bind(explicit.socket)).toThrow(); // a scope named wins
    expect(early.port).toBeGreaterThan(0); // still open
    await cleanupAll('file');
    expect(early.socket.address.bind(early.socket)).toThrow();
  });
});

describe('harness: showing payloads', () => {
  it('shows text quoted, with its size', () => {
    expect(describePayload('hello')).toBe('"hello" (5 B)');
  });
  it('shows an empty datagram as such', () => {
    expect(describePayload(Buffer.alloc(0))).toBe('(an empty datagram, 0 B)');
  });
  it('shows invalid UTF-8 as hex', () => {
    expect(describePayload(Buffer.from([0xff, 0xfe, 0x41]))).toBe('hex ff fe 41 (3 B, not valid UTF-8)');
  });
  it('shortens long text in the middle', () => {
    expect(describePayload('a'.repeat(100))).toBe(`"${'a'.repeat(29)}…${'a'.repeat(29)}" (100 B)`);
  });
});

describe('harness: reading logs', () => {
  const peer = { address: '127.0.0.1', port: 50123 };
  it('finds a peer named in any usual style', () => {
    expect(namesEndpoint('Received 5 bytes from 127.0.0.1:50123', peer)).toBe(true);
    expect(namesEndpoint("Received from ('127.0.0.1', 50123): hello", peer)).toBe(true);
    expect(namesEndpoint('peer 127.0.0.1 port 50123', peer)).toBe(true);
    expect(namesEndpoint('from ::ffff:127.0.0.1:50123', { address: '::ffff:127.0.0.1', port: 50123 })).toBe(true);
  });
  it('wants both the address and the port, the port as a number of its own', () => {
    expect(namesEndpoint('Received 5 bytes from 127.0.0.1', peer)).toBe(false);
    expect(namesEndpoint('Received 50123 bytes', peer)).toBe(false);
    expect(namesEndpoint('from 127.0.0.1:501234', peer)).toBe(false);
  });
});

describe('harness: log lines in reports', () => {
  it('shows control characters as escapes, and keeps tabs and printable text', () => {
    expect(reportLine('got \u001b[2J\u0000x\u007f\u009b\tend')).toBe('got \\x1b[2J\\x00x\\x7f\\x9b\tend');
    expect(reportLine('héllo · 日本語')).toBe('héllo · 日本語');
  });
  it('cuts a long line to its start, saying how much is left out', () => {
    const line = 'a'.repeat(8192);
    const shown = reportLine(line);
    expect(shown.length).toBeLessThan(260);
    expect(shown).toMatch(/^a{200}… \(7992 more characters\)$/);
    expect(reportLine('a'.repeat(240))).toBe('a'.repeat(240));
  });
});

describe('harness: the checks a run is limited to', () => {
  const saved = checkContext();
  afterEach(() => setCheckContext(saved));
  it('runs every check when the context names none, and only those named when it does', () => {
    setCheckContext({ target: 'solutions' });
    expect(willRun('any check')).toBe(true);
    setCheckContext({ target: 'solutions', checks: ['one check'] });
    expect(willRun('one check')).toBe(true);
    expect(willRun('another check')).toBe(false);
  });
  it('travels through the environment to vitest and back, and ignores a damaged list', () => {
    const context = { target: '/tmp/labs', checks: ['a "quoted" check', 'another'] };
    expect(contextFromEnv(contextToEnv(context))).toEqual(context);
    expect(contextFromEnv({ WORKBOOK_TARGET: 'labs', WORKBOOK_CHECKS: '{not json' })).toEqual({ target: 'labs' });
  });
});

describe('harness: seeded randomness', () => {
  it('gives the same bytes for the same seed, and other bytes for another', () => {
    const a = randomBytes(seededRandom(42), 32);
    expect(randomBytes(seededRandom(42), 32)).toEqual(a);
    expect(randomBytes(seededRandom(43), 32)).not.toEqual(a);
    expect(a.length).toBe(32);
  });
  it('stays within [0, 1)', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 1000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('harness: what a missing reply probably means', () => {
  it('calls a server that used 80 % of a CPU while the checker waited stuck', async () => {
    const { isSpinning } = await import('../../tools/harness/exchange.ts');
    expect(isSpinning({ ticks: 100 }, { ticks: 185 }, 1000)).toBe(true);
    expect(isSpinning({ ticks: 100 }, { ticks: 120 }, 1000)).toBe(false);
    expect(isSpinning(undefined, { ticks: 200 }, 1000)).toBe(false);
  });

  it('notices a log that names another endpoint as where the reply went', async () => {
    const { repliedElsewhere } = await import('../../tools/harness/exchange.ts');
    const client = { address: '127.0.0.1', port: 50123 } as UdpClient;
    const server = { endpoint: { address: '127.0.0.1', port: 41234 } } as ServerProcess;
    expect(repliedElsewhere(['Sent 11 bytes to 127.0.0.1:8080'], client, server)).toBe('127.0.0.1:8080');
    expect(repliedElsewhere(['Sent 11 bytes to 127.0.0.1:50123', 'Received 5 bytes from 127.0.0.1:50123'], client, server)).toBeUndefined();
    expect(repliedElsewhere(["replied to ('127.0.0.1', 8080)"], client, server)).toBe('127.0.0.1:8080');
  });
});
