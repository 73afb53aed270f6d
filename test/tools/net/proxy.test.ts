// The proxy over real loopback sockets: forwarding, replies to the right client, impairments that
// really happen, and nothing left open after stop. Sends are paced and every wait is bounded;
// statistics are tested in impairments.test.ts and pipe.test.ts, without sockets.

import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { UdpClient } from '../../../tools/harness/index.ts';
import type { DatagramEvent, Notice } from '../../../tools/net/proxy.ts';
import { closedPort, echoServer, handles, handlesBackTo, lifecycle, proxyFor, settledHandles } from './support.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('proxy: forwarding', () => {
  it('forwards a datagram to the target and the reply back to the client', async () => {
    const server = await echoServer((data) => Buffer.concat([Buffer.from('Echo: '), data]));
    const proxy = await proxyFor({ target: server });
    const client = await UdpClient.open();
    await client.send('hello', proxy.address);
    const reply = await client.receive(2000);
    expect(reply?.data.toString()).toBe('Echo: hello');
    expect(reply).toMatchObject({ address: '127.0.0.1', port: proxy.address.port });
    expect(proxy.stats()).toMatchObject({ up: { in: 1, out: 1 }, down: { in: 1, out: 1 }, clients: 1 });
  });

  it('sends replies to the right one of several clients, each through its own upstream socket', async () => {
    const server = await echoServer((data) => Buffer.from(`for ${data.toString()}`));
    const proxy = await proxyFor({ target: server });
    const clients = await Promise.all([UdpClient.open(), UdpClient.open(), UdpClient.open()]);
    for (let round = 0; round < 3; round++) {
      for (const [i, client] of clients.entries()) {
        await client.send(`client ${i} round ${round}`, proxy.address);
        await pause(2);
      }
    }
    for (const [i, client] of clients.entries()) {
      const got = await client.collect(3, 2000);
      expect(got.map((d) => d.data.toString())).toEqual([0, 1, 2].map((round) => `for client ${i} round ${round}`));
    }
    const upstreamPorts = new Set(server.received.map((r) => r.port));
    expect(upstreamPorts.size).toBe(3);
    expect(upstreamPorts.has(proxy.address.port)).toBe(false);
  });

  it('works over IPv6 (::1) too', async () => {
    const server = await echoServer(undefined, '::1');
    const proxy = await proxyFor({ target: server, listen: { address: '::1' } });
    const client = await UdpClient.open('::1');
    await client.send('over IPv6', proxy.address);
    expect(await client.receive(2000)).toMatchObject({ address: '::1', port: proxy.address.port, data: Buffer.from('over IPv6') });
  });

  it('changes its settings while it runs', async () => {
    const server = await echoServer();
    const events: DatagramEvent[] = [];
    const proxy = await proxyFor({ target: server, onDatagram: (e) => events.push(e) });
    const client = await UdpClient.open();
    proxy.configure({ up: { loss: 1 } });
    await client.send('lost', proxy.address);
    for (let i = 0; i < 200 && events.length === 0; i++) await pause(5);
    expect(events.map((e) => e.fate.drop)).toEqual(['loss']);
    proxy.configure({ up: { loss: 0 } });
    await client.send('kept', proxy.address);
    expect((await client.receive(2000))?.data.toString()).toBe('kept');
    expect(server.received.map((r) => r.data.toString())).toEqual(['kept']);
    expect(() => proxy.configure({ impairments: { duplicate: 2 } })).toThrow(/duplicate must be a probability/);
  });
});

describe('proxy: impairments over real sockets', () => {
  it('really reorders: datagrams reach the target in another order than they were sent', async () => {
    const target = await UdpClient.open();
    const events: DatagramEvent[] = [];
    // A long hold: each held-back datagram goes only when the next one passes it, however slow
    // the machine (or after 2 s if it was the last).
    const up = { reorder: 0.4, reorderHoldMs: 2000 };
    const proxy = await proxyFor({ target: { address: target.address, port: target.port }, up, seed: 3, onDatagram: (e) => events.push(e) });
    const client = await UdpClient.open();
    for (let i = 1; i <= 20; i++) {
      await client.send(String(i), proxy.address);
      await pause(3);
    }
    const got = (await target.collect(20, 5000)).map((d) => Number(d.data.toString()));
    const held = events.filter((e) => e.fate.holdBack).map((e) => e.fate.seq);
    expect(held.length).toBeGreaterThan(0);
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(got).not.toEqual([...got].sort((a, b) => a - b));
    expect(proxy.stats().up.reordered).toBeGreaterThan(0);
  });

  it('duplicates as exact copies', async () => {
    const target = await UdpClient.open();
    const proxy = await proxyFor({ target: { address: target.address, port: target.port }, up: { duplicate: 1 } });
    const client = await UdpClient.open();
    const payloads = [Buffer.from([0, 255, 1, 254]), Buffer.from('é, ü and 🙂'), Buffer.alloc(0)];
    for (const payload of payloads) {
      await client.send(payload, proxy.address);
      await pause(3);
    }
    const got = await target.collect(6, 3000);
    expect(got.map((d) => d.data)).toEqual(payloads.flatMap((p) => [p, p]));
    expect(proxy.stats().up).toMatchObject({ in: 3, duplicated: 3, out: 6 });
  });

  it('gives the same fates for the same seed, run after run', async () => {
    const fatesOf = async () => {
      const target = await UdpClient.open();
      const drops: (string | undefined)[] = [];
      const proxy = await proxyFor({ target: { address: target.address, port: target.port }, impairments: { loss: 0.3, corrupt: 0.2 }, seed: 99, onDatagram: (e) => drops.push(`${e.fate.drop}/${e.fate.corruptAt}`) });
      const client = await UdpClient.open();
      for (let i = 0; i < 30; i++) {
        await client.send(`datagram ${i}`, proxy.address);
        await pause(1);
      }
      await pause(50);
      await proxy.stop();
      return drops;
    };
    const first = await fatesOf();
    expect(first).toHaveLength(30);
    expect(await fatesOf()).toEqual(first);
  });
});

describe('proxy: bounded', () => {
  it('forgets idle clients and closes their sockets', async () => {
    const server = await echoServer();
    const notices: Notice[] = [];
    const proxy = await proxyFor({ target: server, idleTimeoutMs: 50, onNotice: (n) => notices.push(n) });
    const client = await UdpClient.open();
    await client.send('hi', proxy.address);
    await client.receive(2000);
    const before = handles();
    for (let i = 0; i < 100 && proxy.stats().clients > 0; i++) await pause(20);
    expect(proxy.stats().clients).toBe(0);
    expect(notices.filter((n) => n.kind === 'client-gone')).toEqual([{ kind: 'client-gone', client: { address: '127.0.0.1', port: client.port }, why: 'idle' }]);
    const upstreamClosed = { ...before, udp: before.udp - 1 };
    expect(await handlesBackTo(upstreamClosed)).toEqual(upstreamClosed);
  });

  it('keeps at most maxClients, evicting the one idle the longest', async () => {
    const server = await echoServer();
    const notices: Notice[] = [];
    const proxy = await proxyFor({ target: server, maxClients: 2, onNotice: (n) => notices.push(n) });
    const clients = [await UdpClient.open(), await UdpClient.open(), await UdpClient.open()];
    for (const client of clients) {
      await client.send('hi', proxy.address);
      expect(await client.receive(2000)).toBeDefined();
    }
    expect(proxy.stats().clients).toBe(2);
    expect(notices.filter((n) => n.kind === 'client-gone')).toEqual([{ kind: 'client-gone', client: { address: '127.0.0.1', port: clients[0]!.port }, why: 'evicted' }]);
  });

  it('reports a target where nothing listens', async () => {
    const notices: Notice[] = [];
    const proxy = await proxyFor({ target: { address: '127.0.0.1', port: await closedPort() }, onNotice: (n) => notices.push(n) });
    const client = await UdpClient.open();
    await client.send('anyone?', proxy.address);
    for (let i = 0; i < 100 && proxy.stats().refused === 0; i++) await pause(10);
    expect(proxy.stats().refused).toBe(1);
    expect(notices.find((n) => n.kind === 'refused')).toMatchObject({ message: expect.stringMatching(/^nothing listens on 127\.0\.0\.1:\d+/) });
  });

  it('refuses to forward to or listen on an address off this machine, or to forward to itself', async () => {
    await expect(proxyFor({ target: { address: '10.0.0.1', port: 80 } })).rejects.toThrow(/^Refusing 10\.0\.0\.1:80: the workbook only talks to this machine/);
    await expect(proxyFor({ target: { address: '127.0.0.1', port: 80 }, listen: { address: '0.0.0.0' } })).rejects.toThrow(/^Refusing 0\.0\.0\.0/);
    const port = await closedPort();
    await expect(proxyFor({ target: { address: '127.0.0.1', port }, listen: { port } })).rejects.toThrow(/^The proxy cannot forward to itself/);
  });

  it('closes every socket at stop, with datagrams still waiting, and frees its port', async () => {
    const server = await echoServer();
    const before = await settledHandles();
    const proxy = await proxyFor({ target: server, impairments: { delayMs: 500 } });
    const clients = [await UdpClient.open(), await UdpClient.open()];
    for (const client of clients) await client.send('still in flight at stop', proxy.address);
    for (let i = 0; i < 100 && proxy.stats().up.inFlight < 2; i++) await pause(5);
    expect(proxy.stats().up.inFlight).toBe(2);
    const { port } = proxy.address;
    await Promise.all(clients.map((c) => c.close()));
    await proxy.stop();
    expect(await handlesBackTo({ udp: before.udp })).toEqual({ udp: before.udp });
    expect(proxy.stats()).toMatchObject({ clients: 0, up: { inFlight: 0 } });
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
    expect(server.received).toHaveLength(0);
  });

  it('leaves no socket or timer that would keep a process running', () => {
    // Timers are counted reliably only in a process of their own: vitest has timers of its own.
    expect(lifecycle('proxy')).toEqual({ status: 0, signal: null, output: 'done\n' });
  });

  it('stops when its signal aborts', async () => {
    const server = await echoServer();
    const controller = new AbortController();
    const before = await settledHandles();
    const proxy = await proxyFor({ target: server, signal: controller.signal });
    expect(handles().udp).toBe(before.udp + 1);
    controller.abort();
    expect(proxy.stopped).toBe(true);
    expect(await handlesBackTo({ udp: before.udp })).toEqual({ udp: before.udp });
  });
});
