// The demo servers of lessons 01–04 hold the same contract as their labs, beyond starting and
// answering (demos.test.ts): a bad --port is refused in one line with exit code 2 (bind() would
// take NaN or 70000 and bind some other port, FACTS 26), and a port already taken ends them with
// one line and exit code 1. Plus what each lesson teaches with its demo.

import dgram from 'node:dgram';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverLessons } from '../../tools/course/lessons.ts';
import { READY_LINE, UdpClient, exchange, spawnServer, startServer, track } from '../../tools/harness/index.ts';

const lessons = discoverLessons().filter((l) => ['01', '02', '03', '04'].includes(l.number));
const demo = (slug: string, file = 'server.ts') => path.join(lessons.find((l) => l.slug === slug)!.dir, file);

/** A port held by a socket of the test's, as another program would hold it. */
async function heldPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  track(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket.address().port;
}

/** Runs a demo that should stop by itself; fails if it prints a ready line instead. */
async function runToExit(file: string, args: string[], port: number | null = null, host = '127.0.0.1') {
  const s = spawnServer({ file, port, args, host });
  const ready = await Promise.race([s.waitForLine(READY_LINE, 10_000), s.closed.then(() => undefined)]);
  expect(ready, `${path.basename(file)} ${args.join(' ')} started instead of stopping`).toBeUndefined();
  const exit = await s.waitForClose(2000);
  return { exit, stderr: s.stderr.filter((line) => line.trim() !== ''), log: s.log };
}

for (const lesson of lessons) {
  describe(`the demo server of ${lesson.slug}`, () => {
    it('refuses --port abc and --port 70000 in one line, with exit code 2', async () => {
      const bad = ['abc', '70000'];
      const runs = await Promise.all(bad.map((port) => runToExit(demo(lesson.slug), ['--port', port])));
      for (const [i, { exit, stderr, log }] of runs.entries()) {
        expect(exit, log.join('\n')).toEqual({ code: 2, signal: null });
        expect(stderr, log.join('\n')).toHaveLength(1);
        expect(stderr[0]).toContain(bad[i]);
      }
    });

    it('says so in one line, and exits with code 1, when its port is taken', async () => {
      const { exit, stderr, log } = await runToExit(demo(lesson.slug), [], await heldPort());
      expect(exit, log.join('\n')).toEqual({ code: 1, signal: null });
      expect(stderr, log.join('\n')).toHaveLength(1);
      expect(stderr[0]).toMatch(/EADDRINUSE|in use/);
    });
  });
}

describe('the demos of 02-basic-server', () => {
  it('the server answers over IPv6 with --host ::1 (a udp6 socket)', async (ctx) => {
    let client: UdpClient;
    try {
      client = await UdpClient.open('::1');
    } catch {
      return ctx.skip('this system has no ::1');
    }
    const server = await startServer({ file: demo('02-basic-server'), host: '::1' });
    await exchange({ server, client, send: 'over v6', expect: 'Echo: over v6' });
  });

  it('the client reports a port where nothing listens (ECONNREFUSED), with exit code 1', async () => {
    const gone = await UdpClient.open('127.0.0.1');
    const port = gone.port;
    await gone.close();
    const { exit, log } = await runToExit(demo('02-basic-server', 'client.ts'), ['--port', String(port)]);
    expect(exit, log.join('\n')).toEqual({ code: 1, signal: null });
    expect(log.join('\n')).toMatch(/ECONNREFUSED/);
  });
});

describe('the demo of 04-robust-server', () => {
  it('exits with code 0 on Ctrl+C while a slow request is being processed', async () => {
    const server = await startServer({ file: demo('04-robust-server') });
    const client = await UdpClient.open();
    await client.send('slow', server.endpoint);
    await server.waitForLine(/Received 4 bytes/, 2000);
    server.signal('SIGINT');
    expect(await server.waitForClose(3000), server.log.join('\n')).toEqual({ code: 0, signal: null });
  });

  it('cannot start on a host name that does not resolve: one line, exit code 1', async () => {
    const { exit, stderr, log } = await runToExit(demo('04-robust-server'), [], 0, 'no-such-host.invalid');
    expect(exit, log.join('\n')).toEqual({ code: 1, signal: null });
    expect(stderr, log.join('\n')).toHaveLength(1);
  });
});
