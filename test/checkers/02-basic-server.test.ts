// Checker for lab 02: the echo server. It starts labs/02-basic-server/server.ts (or the tree
// named by WORKBOOK_TARGET) as a real process and talks to it over UDP on loopback.

import { describe, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  ensureRunning,
  exchange,
  expectNoMore,
  labPath,
  labServer,
} from '../../tools/harness/index.ts';
import { expectBomKept, expectEachClientAnswered, expectExactText, expectRealPort } from './support/server-checks.ts';

const SLUG = '02-basic-server';
const server = labServer(SLUG);
const echo = (text: string) => `Echo: ${text}`;

describe('lab 02: echo server', () => {
  it('prints "UDP server listening on HOST:PORT" with the port it really bound', async () => {
    await expectRealPort(server(), labPath(SLUG, 'server.ts'));
  });

  it('replies "Echo: hello" to "hello"', async () => {
    await exchange({
      server: await server(),
      send: 'hello',
      expect: echo('hello'),
      hint: (got) =>
        got
          ? 'The reply must be exactly "Echo: " followed by the text received.'
          : 'Your handler received the datagram (see the log) but sent nothing back. Send the reply to rinfo.port and rinfo.address.',
    });
  });

  it('sends exactly one reply per datagram', async () => {
    const s = await server();
    const client = await UdpClient.open();
    await exchange({ server: s, client, send: 'once', expect: echo('once') });
    await expectNoMore(client, s, 300, '"once"');
  });

  it('answers many clients at once, each at its own address and port', async () => {
    await expectEachClientAnswered(await server(), (i) => `client ${i}`, (i) => echo(`client ${i}`));
  });

  it('keeps message boundaries: three datagrams get three replies', async () => {
    const s = await server();
    const client = await UdpClient.open();
    const parts = ['one', 'two', 'three'];
    for (const p of parts) await client.send(p, s.endpoint);
    const replies = (await client.collect(3, 1000)).map((d) => d.data.toString('utf8'));
    const want = parts.map(echo);
    // Loopback keeps one flow in order, but UDP does not promise it: compare as sets.
    if (replies.length !== 3 || [...replies].sort().join('\n') !== [...want].sort().join('\n')) {
      ensureRunning(s, 'after three datagrams');
      throw new CheckFailure({
        summary: replies.length === 0 ? 'No reply came back.' : 'Three datagrams should get exactly three replies, one for each.',
        sent: '"one", "two", "three" as three datagrams',
        expected: want.map((w) => `"${w}"`).join(', '),
        got: replies.length === 0 ? 'nothing within 1000 ms' : replies.map((r) => JSON.stringify(r)).join(', '),
        log: s.tail(),
        hint: 'Each datagram is a whole message: answer each one on its own, without joining or buffering them.',
      });
    }
  });

  it('replies "Echo: " to an empty datagram', async () => {
    await exchange({
      server: await server(),
      send: Buffer.alloc(0),
      expect: echo(''),
      hint: 'A zero-length datagram is still a datagram. Look for a check like `if (!msg.length)` or `if (text)` that skips it.',
    });
  });

  it('gives the text back byte for byte: spaces and tabs at both ends, "\\r\\n", NUL', async () => {
    await expectExactText(await server(), echo);
  });

  it('keeps a leading byte-order mark (ef bb bf)', async () => {
    await expectBomKept(await server(), echo, "msg.toString('utf8') keeps it, as Python's decode() does.");
  });

  it('keeps multi-byte UTF-8 intact', async () => {
    const text = 'héllo wörld · ✓ · 日本語 · 🎉';
    await exchange({
      server: await server(),
      send: text,
      expect: echo(text),
      hint: "Decode with msg.toString('utf8') (not 'ascii' or 'latin1'), and encode the reply with Buffer.from(reply, 'utf8').",
    });
  });

  it('echoes an 8 KB datagram whole', async () => {
    const text = 'abcdefgh'.repeat(1024);
    await exchange({
      server: await server(),
      send: text,
      expect: echo(text),
      hint: (got) =>
        got && got.data.length < echo(text).length
          ? `Only ${got.data.length} bytes came back. Node gives you the whole datagram; a fixed buffer size such as Python's recvfrom(1024) does not belong here.`
          : undefined,
    });
  });

  it('still answers after 200 datagrams from one client', async () => {
    const s = await server();
    const client = await UdpClient.open();
    // One at a time, each awaiting its reply: this checks that the server keeps going, not how
    // much the network can take at once.
    for (let i = 1; i <= 200; i++) {
      await exchange({ server: s, client, send: `ping ${i}`, expect: echo(`ping ${i}`) });
    }
    await exchange({ server: s, client, send: 'still there?', expect: echo('still there?') });
    ensureRunning(s);
  });

  // Last, because a server that fails it has usually ended.
  it('answers bytes that are not UTF-8 (ff fe), and goes on serving', async () => {
    const s = await server();
    const bad = Buffer.from([0xff, 0xfe]);
    const asBytes = Buffer.concat([Buffer.from('Echo: '), bad]);
    const asText = Buffer.from('Echo: \ufffd\ufffd', 'utf8');
    await exchange({
      server: s,
      send: bad,
      expect: {
        describe: `"Echo: " then the bytes ff fe as they came, or as toString('utf8') makes them: "Echo: \ufffd\ufffd"`,
        test: (d) => d.equals(asBytes) || d.equals(asText),
      },
      hint: (got) =>
        got
          ? "Echo the bytes as they came, or decode with msg.toString('utf8'), which turns each bad byte into U+FFFD."
          : "Every datagram gets an answer, text or not: msg.toString('utf8') never throws. A decoder that throws (new TextDecoder('utf-8', { fatal: true }), Python's decode()) must not be left to end the server.",
    });
    await exchange({ server: s, send: 'hello', expect: echo('hello'), hint: 'After bytes that are not UTF-8, the server must go on answering.' });
  });
});
