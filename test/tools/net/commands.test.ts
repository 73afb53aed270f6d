// `npm start -- send ...` and `npm start -- proxy ...` through the command line's main(), with a
// fake Io: what a learner reads, and the exit codes (0 ok, 2 a usage error in one line).

import { describe, expect, it } from 'vitest';
import { main } from '../../../tools/cli/main.ts';
import { UdpClient } from '../../../tools/harness/index.ts';
import { closedPort, echoServer, fakeIo, handlesBackTo, settledHandles, type FakeIo } from './support.ts';

async function run(args: string[], io: FakeIo = fakeIo()): Promise<{ code: number; out: string; err: string }> {
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** A usage error: exit 2, one line on stderr, nothing on stdout. */
async function usage(args: string[]): Promise<string> {
  const { code, out, err } = await run(args);
  expect(code, err).toBe(2);
  expect(err.trimEnd().split('\n'), err).toHaveLength(1);
  expect(out).toBe('');
  return err.trim();
}

const echo = (data: Buffer) => Buffer.concat([Buffer.from('Echo: '), data]);

describe('command: send', () => {
  it('prints the datagram sent and the reply with its sender and round-trip time', async () => {
    const server = await echoServer(echo);
    const { code, out } = await run(['send', `127.0.0.1:${server.port}`, 'hello']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`→ 127.0.0.1:${server.port}  "hello" (5 B)`);
    expect(lines[1]).toMatch(new RegExp(`^← 127\\.0\\.0\\.1:${server.port} {2}"Echo: hello" \\(11 B\\) {2}[\\d.,]+ ms$`));
    expect(lines).toHaveLength(2);
  });

  it('sends hex, a file, or several datagrams, and counts the replies', async () => {
    const server = await echoServer();
    const hex = await run(['send', String(server.port), '--hex', '00 ff 41']);
    expect(hex.out).toContain('← 127.0.0.1');
    expect(hex.out).toContain('hex 00 ff 41 (3 B)');
    const many = await run(['send', `localhost:${server.port}`, 'a', 'b', '--count', '3', '--interval', '10']);
    expect(many.out).toMatch(/→ #1 127\.0\.0\.1:\d+ {2}"a b" \(3 B\)/);
    expect(many.out).toMatch(/→ #3 /);
    expect(many.out.trimEnd().split('\n').at(-1)).toBe('3 sent, 3 replies.');
    expect(server.received.map((r) => r.data.toString('hex'))).toEqual(['00ff41', '612062', '612062', '612062']);
  });

  it('refuses a bad address or port, in one line', async () => {
    expect(await usage(['send', '127.0.0.1:99999', 'hi'])).toBe('"99999" is not a port: use a number from 1 to 65535, e.g. 127.0.0.1:41234.');
    expect(await usage(['send', '127.0.0.1', 'hi'])).toMatch(/has no port: write HOST:PORT/);
    expect(await usage(['send'])).toBe('Where to? Type e.g. `npm start -- send 127.0.0.1:41234 hello`.');
  });

  it('refuses every destination off this machine, and 127.255.255.255 without --broadcast', async () => {
    expect(await usage(['send', '8.8.8.8:53', 'hi'])).toMatch(/^Refusing 8\.8\.8\.8:53: the workbook only talks to this machine/);
    expect(await usage(['send', '255.255.255.255:9', 'hi', '--broadcast'])).toMatch(/^Refusing 255\.255\.255\.255/);
    expect(await usage(['send', '127.255.255.255:9', 'hi'])).toMatch(/add --broadcast/);
  });

  it('names the limit when the payload is too large', async () => {
    expect(await usage(['send', '127.0.0.1:9', 'x'.repeat(65_508)])).toMatch(/at most 65,507 B/);
  });

  it('says when nothing listens (ECONNREFUSED) and when no reply comes, with exit code 2', async () => {
    const refused = await run(['send', `127.0.0.1:${await closedPort()}`, 'hi', '--timeout', '2000']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^Nothing is listening on 127\.0\.0\.1:\d+: it answered with "port unreachable" \(ECONNREFUSED\)/);
    const silent = await UdpClient.open();
    const timeout = await run(['send', `127.0.0.1:${silent.port}`, 'hi', '--timeout', '100']);
    expect(timeout.code).toBe(2);
    expect(timeout.err).toMatch(/^No reply from 127\.0\.0\.1:\d+ within 100 ms/);
  });

  it('refuses unknown flags and bad values, saying what to type', async () => {
    expect(await usage(['send', '127.0.0.1:9', 'hi', '--cuont', '3'])).toBe('Unknown option --cuont. Did you mean --count? See `npm start -- help send`.');
    expect(await usage(['send', '127.0.0.1:9', 'hi', '--count', 'many'])).toMatch(/^--count: "many" is not a whole number from 1 to 10,000\./);
    expect(await usage(['send', '127.0.0.1:9', 'hi', '--timeout'])).toBe('--timeout needs a value: --timeout MS. See `npm start -- help send`.');
    expect(await usage(['send', '127.0.0.1:9', '--file', '/no/such/file'])).toMatch(/^Cannot read \/no\/such\/file \(ENOENT\)/);
  });

  it('lists its options with --help, in 80 columns', async () => {
    const { code, out } = await run(['send', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--count N');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('does not wait for typed lines when it is not interactive', async () => {
    expect(await usage(['send', '127.0.0.1:9'])).toMatch(/^What should be sent\?.*needs a terminal/);
  });

  it('starts the line session when interactive and no payload is given', async () => {
    const server = await echoServer(echo);
    const io = fakeIo({ interactive: true });
    const done = main(['send', `127.0.0.1:${server.port}`], io);
    await io.waitForOutput(/Ctrl\+D or \.exit ends/);
    io.stdin.write('typed\n');
    await io.waitForOutput(/"Echo: typed"/);
    io.stdin.end();
    expect(await done).toBe(0);
  });
});

describe('command: proxy', () => {
  it('forwards, traces each datagram, and prints the counts when stopped', async () => {
    const server = await echoServer(echo);
    const before = await settledHandles();
    const io = fakeIo();
    const done = main(['proxy', '--target', `127.0.0.1:${server.port}`, '--up-loss', '100%', '--seed', '7', '--trace'], io);
    const [, port] = await io.waitForOutput(/Proxy listening on 127\.0\.0\.1:(\d+), forwarding to 127\.0\.0\.1:\d+\./);
    expect(io.out()).toContain('  → to target:  loss 100%\n  ← to clients: no impairment\n  seed 7\n');
    const client = await UdpClient.open();
    await client.send('hello', { address: '127.0.0.1', port: Number(port) });
    await io.waitForOutput(/→ #1 5 B from 127\.0\.0\.1:\d+ DROPPED \(random loss\)/);
    io.controller.abort();
    expect(await done).toBe(0);
    const out = io.out();
    expect(out).toContain('Proxy stopped.');
    expect(out).toContain(
      [
        '               in  dropped  duplicated  reordered  corrupted  delayed  out',
        '→ to target     1        1           0          0          0        0    0',
        '← to clients    0        0           0          0          0        0    0',
        'Dropped →: random loss 1.',
      ].join('\n'),
    );
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(out).toContain('Dropped →: random loss 1.');
    await client.close();
    expect(await handlesBackTo(before)).toEqual(before);
  });

  it('describes a preset, and flags that override it', async () => {
    const server = await echoServer();
    const io = fakeIo();
    const done = main(['proxy', '--target', String(server.port), '--preset', 'wifi', '--loss', '5%'], io);
    await io.waitForOutput(/seed \d+ \(--seed \d+ gives the same datagrams the same fates again\)/);
    expect(io.out()).toContain('  both ways:     loss 5%, delay 5.0 ms ± 4.0 ms (keeps order), rate 20 Mbit/s (queue 200)');
    io.controller.abort();
    expect(await done).toBe(0);
  });

  it('refuses bad flags and values in one line that says what to type', async () => {
    expect(await usage(['proxy', '--target', '9', '--los', '10%'])).toBe('Unknown option --los. Did you mean --loss? See `npm start -- help proxy`.');
    expect(await usage(['proxy', '--target', '9', '--down-los', '10%'])).toBe('Unknown option --down-los. Did you mean --down-loss? See `npm start -- help proxy`.');
    expect(await usage(['proxy', '--target', '9', '--loss', '0.1'])).toMatch(/^--loss: "0\.1" is ambiguous: write 0\.1% or 10%\./);
    expect(await usage(['proxy', '--target', '9', '--preset', 'awful'])).toBe('No preset "awful". The presets are perfect, good, wifi, bad, evil: e.g. --preset wifi.');
    expect(await usage(['proxy', '--listen', '9000'])).toMatch(/^Which server should the proxy forward to\?/);
    expect(await usage(['proxy', '--target', '9', '--outage-every', '1s'])).toMatch(/--outage-every and --outage-for go together/);
    expect(await usage(['proxy', '--target', '9', 'extra'])).toBe('Unexpected argument "extra": `proxy` takes no arguments, only options. See `npm start -- help proxy`.');
  });

  it('listens and forwards only on this machine', async () => {
    expect(await usage(['proxy', '--target', '10.0.0.2:80'])).toMatch(/^--target: Refusing 10\.0\.0\.2:80: the workbook only talks to this machine/);
    expect(await usage(['proxy', '--target', '9', '--listen', '0.0.0.0:9000'])).toMatch(/^--listen: Refusing 0\.0\.0\.0/);
  });

  it('says when the port it should listen on is taken', async () => {
    const taken = await UdpClient.open();
    expect(await usage(['proxy', '--target', '9', '--listen', String(taken.port)])).toBe(
      `127.0.0.1:${taken.port} is already in use: choose another port with --listen, e.g. --listen ${taken.port + 1}.`,
    );
  });

  it('lists its options with --help, in 80 columns', async () => {
    const { code, out } = await run(['proxy', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--burst-loss P%');
    expect(out).toContain('--up-NAME: only towards the target');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
