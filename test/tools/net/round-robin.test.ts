// The proxy with several targets: each datagram goes to the next target in turn (round robin,
// whichever client sent it), each client reaches each target through an upstream socket of its
// own, and every reply comes back to the client that asked, from the proxy's address. Through the
// library and through `npm start -- proxy --target A --target B`.

import { describe, expect, it } from 'vitest';
import { main } from '../../../tools/cli/main.ts';
import { UdpClient } from '../../../tools/harness/index.ts';
import type { DatagramEvent, Notice } from '../../../tools/net/proxy.ts';
import { closedPort, echoServer, fakeIo, handlesBackTo, proxyFor, settledHandles } from './support.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const from = (name: string) => (data: Buffer) => Buffer.from(`${name}: ${data.toString()}`);

describe('proxy: round robin over several targets', () => {
  it("sends one client's datagrams to each target in turn, and every reply back to it", async () => {
    const a = await echoServer(from('A'));
    const b = await echoServer(from('B'));
    const events: DatagramEvent[] = [];
    const proxy = await proxyFor({ target: [a, b], onDatagram: (e) => events.push(e) });
    expect(proxy.targets).toEqual([{ address: '127.0.0.1', port: a.port }, { address: '127.0.0.1', port: b.port }]);
    expect(proxy.target).toEqual({ address: '127.0.0.1', port: a.port });
    const client = await UdpClient.open();
    const replies: string[] = [];
    for (let i = 1; i <= 5; i++) {
      await client.send(`request ${i}`, proxy.address);
      const reply = await client.receive(2000);
      expect(reply).toMatchObject({ address: '127.0.0.1', port: proxy.address.port });
      replies.push(reply!.data.toString());
    }
    expect(replies).toEqual(['A: request 1', 'B: request 2', 'A: request 3', 'B: request 4', 'A: request 5']);
    expect(events.filter((e) => e.direction === 'up').map((e) => e.target?.port)).toEqual([a.port, b.port, a.port, b.port, a.port]);
    expect(events.filter((e) => e.direction === 'down').map((e) => e.target?.port)).toEqual([a.port, b.port, a.port, b.port, a.port]);
    const stats = proxy.stats();
    expect(stats.clients).toBe(1);
    expect(stats.targets).toEqual([
      { target: { address: '127.0.0.1', port: a.port }, forwarded: 3, refused: 0 },
      { target: { address: '127.0.0.1', port: b.port }, forwarded: 2, refused: 0 },
    ]);
    // One upstream socket per client and target: each server always sees the client at one port.
    expect(new Set(a.received.map((r) => r.port)).size).toBe(1);
    expect(new Set(b.received.map((r) => r.port)).size).toBe(1);
  });

  it('takes turns across clients, and answers each client at its own address', async () => {
    const a = await echoServer(from('A'));
    const b = await echoServer(from('B'));
    const proxy = await proxyFor({ target: [a, b] });
    const clients = await Promise.all([UdpClient.open(), UdpClient.open(), UdpClient.open()]);
    for (let round = 0; round < 2; round++) {
      for (const [i, client] of clients.entries()) {
        await client.send(`client ${i} round ${round}`, proxy.address);
        expect((await client.receive(2000))?.data.toString()).toMatch(new RegExp(`^[AB]: client ${i} round ${round}$`));
      }
    }
    // Six datagrams in all, taking turns: three each, whoever sent them.
    expect([a.received.length, b.received.length]).toEqual([3, 3]);
    expect(proxy.stats().clients).toBe(3);
  });

  it('reports a target where nothing listens, by name, and keeps using the others', async () => {
    const a = await echoServer(from('A'));
    const gone = { address: '127.0.0.1', port: await closedPort() };
    const notices: Notice[] = [];
    const proxy = await proxyFor({ target: [a, gone], onNotice: (n) => notices.push(n) });
    const client = await UdpClient.open();
    await client.send('one', proxy.address);
    expect((await client.receive(2000))?.data.toString()).toBe('A: one');
    await client.send('two', proxy.address);
    for (let i = 0; i < 100 && proxy.stats().refused === 0; i++) await pause(10);
    await client.send('three', proxy.address);
    expect((await client.receive(2000))?.data.toString()).toBe('A: three');
    expect(proxy.stats().targets?.map((t) => t.refused)).toEqual([0, 1]);
    expect(notices.find((n) => n.kind === 'refused')).toMatchObject({ message: `nothing listens on 127.0.0.1:${gone.port} (the datagram from 127.0.0.1:${client.port} was refused)` });
  });

  it('refuses a target off this machine, or an empty list', async () => {
    const a = await echoServer();
    await expect(proxyFor({ target: [a, { address: '10.0.0.1', port: 80 }] })).rejects.toThrow(/^Refusing 10\.0\.0\.1:80/);
    await expect(proxyFor({ target: [] })).rejects.toThrow(/needs a target/);
  });
});

describe('command: proxy --target A --target B', () => {
  it('says it takes turns, traces which server each datagram went to, and counts them', async () => {
    const a = await echoServer(from('A'));
    const b = await echoServer(from('B'));
    const before = await settledHandles();
    const io = fakeIo();
    const done = main(['proxy', '--target', `127.0.0.1:${a.port}`, '--target', String(b.port), '--seed', '1', '--trace'], io);
    const [, port] = await io.waitForOutput(/Proxy listening on 127\.0\.0\.1:(\d+), forwarding to 2 servers in turn:/);
    expect(io.out()).toContain(`  127.0.0.1:${a.port}, 127.0.0.1:${b.port} (round robin: each datagram to the next)\n`);
    expect(io.out()).toContain('Send to 127.0.0.1:');
    expect(io.out()).toContain(' instead of to the servers.\n');
    const client = await UdpClient.open();
    const proxy = { address: '127.0.0.1', port: Number(port) };
    for (const text of ['one', 'two', 'three']) {
      await client.send(text, proxy);
      expect(await client.receive(2000)).toBeDefined();
    }
    await io.waitForOutput(/← #3 8 B to 127\.0\.0\.1:\d+ forwarded \(from 127\.0\.0\.1:\d+\)/);
    const out = io.out();
    expect(out).toMatch(new RegExp(`→ #1 3 B from 127\\.0\\.0\\.1:${client.port} forwarded \\(to 127\\.0\\.0\\.1:${a.port}\\)`));
    expect(out).toMatch(new RegExp(`→ #2 3 B from 127\\.0\\.0\\.1:${client.port} forwarded \\(to 127\\.0\\.0\\.1:${b.port}\\)`));
    expect(out).toMatch(new RegExp(`  new client 127\\.0\\.0\\.1:${client.port} \\(127\\.0\\.0\\.1:${b.port} sees it as 127\\.0\\.0\\.1:\\d+\\)`));
    io.controller.abort();
    expect(await done).toBe(0);
    expect(io.out()).toContain(`→ to 127.0.0.1:${a.port}: 2 datagrams\n→ to 127.0.0.1:${b.port}: 1 datagram\n`);
    for (const line of io.out().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    await client.close();
    expect(await handlesBackTo(before)).toEqual(before);
  });

  it('refuses to listen on any of its targets', async () => {
    const io = fakeIo();
    const code = await main(['proxy', '--target', '9001', '--target', '9002', '--listen', '9002'], io);
    expect(code).toBe(2);
    expect(io.err().trim()).toBe('The proxy cannot listen on its own target 9002: give --listen another port, e.g. --listen 9000.');
  });

  it('lists --target and round robin in its help, in 80 columns', async () => {
    const io = fakeIo();
    expect(await main(['proxy', '--help'], io)).toBe(0);
    expect(io.out()).toContain('give it again for more');
    expect(io.out()).toContain('round robin');
    for (const line of io.out().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
