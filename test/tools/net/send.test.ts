// The UDP client over real loopback sockets: one-shot sends with their replies and failures, and
// the interactive line session.

import { describe, expect, it } from 'vitest';
import { UdpClient } from '../../../tools/harness/index.ts';
import { EndpointError } from '../../../tools/udp/address.ts';
import { SendError, sendDatagrams } from '../../../tools/net/send.ts';
import { interactiveSession } from '../../../tools/net/session.ts';
import { closedPort, echoServer, fakeIo, handlesBackTo, lifecycle, settledHandles } from './support.ts';

const echo = (data: Buffer) => Buffer.concat([Buffer.from('Echo: '), data]);

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e as Error);
  if (!err) throw new Error('expected a failure');
  return err;
}

describe('send: one datagram', () => {
  it('returns each reply with its sender and round-trip time', async () => {
    const server = await echoServer(echo);
    const { sent, replies } = await sendDatagrams(server, Buffer.from('hello'));
    expect(sent).toBe(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.data.toString()).toBe('Echo: hello');
    expect(replies[0]!.from).toEqual({ address: '127.0.0.1', port: server.port });
    expect(replies[0]!.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('waits a moment after the reply, and shows a second one', async () => {
    const server = await UdpClient.open();
    server.socket.on('message', (_data, rinfo) => {
      for (const n of [1, 2]) server.socket.send(`reply ${n}`, rinfo.port, rinfo.address, () => {});
    });
    const { replies } = await sendDatagrams({ address: '127.0.0.1', port: server.port }, Buffer.from('x'));
    expect(replies.map((r) => r.data.toString())).toEqual(['reply 1', 'reply 2']);
  });

  it('sends count datagrams interval apart and collects every reply', async () => {
    const server = await echoServer(echo);
    const sentAt: number[] = [];
    // When the tool took each to be sent (a stamp of the test's own could come late on a busy
    // machine, after the tool's, and make the interval look short).
    const { sent, replies } = await sendDatagrams(server, Buffer.from('n'), { count: 3, intervalMs: 20, onSent: (_n, _data, at) => sentAt.push(at) });
    expect(sent).toBe(3);
    expect(replies.map((r) => r.data.toString())).toEqual(['Echo: n', 'Echo: n', 'Echo: n']);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(20);
    expect(sentAt[2]! - sentAt[1]!).toBeGreaterThanOrEqual(20);
  });

  it('returns no replies when nothing answers within the timeout', async () => {
    const silent = await UdpClient.open();
    const { sent, replies } = await sendDatagrams({ address: '127.0.0.1', port: silent.port }, Buffer.from('anyone?'), { timeoutMs: 100 });
    expect(sent).toBe(1);
    expect(replies).toEqual([]);
    expect((await silent.receive(1000))?.data.toString()).toBe('anyone?');
  });

  it('fails with ECONNREFUSED when nothing listens (a connected socket hears the ICMP)', async () => {
    const err = await failure(sendDatagrams({ address: '127.0.0.1', port: await closedPort() }, Buffer.from('hi'), { timeoutMs: 2000 }));
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).code).toBe('refused');
    expect(err.message).toMatch(/^Nothing is listening on 127\.0\.0\.1:\d+: it answered with "port unreachable" \(ECONNREFUSED\)\./);
  });

  it('refuses a payload over the maximum, naming the limit for IPv4 and IPv6', async () => {
    const sink = await UdpClient.open();
    const v4 = { address: '127.0.0.1', port: sink.port };
    expect((await failure(sendDatagrams(v4, Buffer.alloc(65_508)))).message).toMatch(/^The payload is 65,508 B; one UDP datagram over IPv4 carries at most 65,507 B\./);
    expect((await failure(sendDatagrams({ address: '::1', port: 9 }, Buffer.alloc(65_528)))).message).toMatch(/over IPv6 carries at most 65,527 B/);
    // The largest one goes, whole.
    await sendDatagrams(v4, Buffer.alloc(65_507, 7), { timeoutMs: 0 });
    expect((await sink.receive(2000))?.data.length).toBe(65_507);
  });

  it('refuses addresses off this machine before opening anything', async () => {
    const before = { udp: (await settledHandles()).udp };
    const err = await failure(sendDatagrams({ address: '192.168.1.1', port: 9 }, Buffer.from('x')));
    expect(err).toBeInstanceOf(EndpointError);
    expect(err.message).toMatch(/^Refusing 192\.168\.1\.1:9: the workbook only talks to this machine/);
    expect(await failure(sendDatagrams({ address: '127.255.255.255', port: 9 }, Buffer.from('x')))).toBeInstanceOf(EndpointError);
    expect((await settledHandles()).udp).toEqual(before.udp);
  });

  it('broadcasts to 127.255.255.255 with SO_BROADCAST, reaching a socket bound to 0.0.0.0', async () => {
    const listener = await UdpClient.openAt('0.0.0.0', 0);
    listener.socket.on('message', (data, rinfo) => listener.socket.send(Buffer.from(`seen ${data}`), rinfo.port, rinfo.address, () => {}));
    const { replies } = await sendDatagrams({ address: '127.255.255.255', port: listener.port }, Buffer.from('who is there?'), { broadcast: true, timeoutMs: 300 });
    expect(replies.map((r) => r.data.toString())).toEqual(['seen who is there?']);
    expect(replies[0]!.from).toEqual({ address: '127.0.0.1', port: listener.port });
  });

  it('closes its socket whatever happens', async () => {
    const server = await echoServer();
    const before = { udp: (await settledHandles()).udp };
    await sendDatagrams(server, Buffer.from('x'));
    await failure(sendDatagrams({ address: '127.0.0.1', port: await closedPort() }, Buffer.from('x')));
    expect(await handlesBackTo(before)).toEqual(before);
  });
});

describe('send: nothing left behind', () => {
  it('leaves no socket or timer that would keep a process running, after sends and a session', () => {
    expect(lifecycle('send')).toEqual({ status: 0, signal: null, output: 'done\n' });
    expect(lifecycle('session')).toEqual({ status: 0, signal: null, output: 'done\n' });
  });
});

describe('send: interactive session', () => {
  it('sends each line as one datagram and prints replies as they come, until .exit', async () => {
    const server = await echoServer(echo);
    const before = { udp: (await settledHandles()).udp };
    const io = fakeIo({ interactive: true });
    const session = interactiveSession(server, io);
    await io.waitForOutput(/Ctrl\+D or \.exit ends\.\n$/);
    io.stdin.write('hello\n');
    await io.waitForOutput(/← 127\.0\.0\.1:\d+ {2}"Echo: hello" \(11 B\) {2}[\d.,]+ ms/);
    io.stdin.write('\n');
    await io.waitForOutput(/"Echo: " \(6 B\)/);
    io.stdin.write('.exit\n');
    await session;
    expect(server.received.map((r) => r.data.toString())).toEqual(['hello', '']);
    expect(await handlesBackTo(before)).toEqual(before);
  });

  it('reads hex lines with hex, and says so when a line is not hex', async () => {
    const server = await echoServer();
    const io = fakeIo({ interactive: true });
    const session = interactiveSession(server, io, { hex: true });
    io.stdin.write('zz\n');
    await io.waitForOutput(/"zz" has characters that are not hex digits/);
    io.stdin.write('68 69 ff\n');
    await io.waitForOutput(/hex 68 69 ff \(3 B\)/);
    io.stdin.end();
    await session;
    expect(server.received.map((r) => r.data)).toEqual([Buffer.from([0x68, 0x69, 0xff])]);
  });

  it('ends on Ctrl+D (the end of input) and when the signal aborts, closing its socket', async () => {
    const server = await echoServer();
    const before = { udp: (await settledHandles()).udp };
    const ended = fakeIo({ interactive: true });
    const first = interactiveSession(server, ended);
    await ended.waitForOutput(/Ctrl\+D or \.exit ends\.\n$/);
    ended.stdin.end();
    await first;
    const aborted = fakeIo({ interactive: true });
    const second = interactiveSession(server, aborted);
    await aborted.waitForOutput(/Ctrl\+D or \.exit ends\.\n$/);
    aborted.controller.abort();
    await second;
    expect(await handlesBackTo(before)).toEqual(before);
  });

  it('says when nothing listens, and goes on', async () => {
    const io = fakeIo({ interactive: true });
    const port = await closedPort();
    const session = interactiveSession({ address: '127.0.0.1', port }, io);
    io.stdin.write('hi\n');
    await io.waitForOutput(new RegExp(`Nothing is listening on 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Start the server, then type again\\.`));
    io.stdin.write('.exit\n');
    await session;
  });
});
