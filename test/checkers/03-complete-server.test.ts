// Checker for lab 03: the complete server. It starts labs/03-complete-server/server.ts (or the
// tree named by WORKBOOK_TARGET) as a real process and talks to it over UDP on loopback; it also
// calls processMessage from process-message.ts directly, since lesson 04 builds on that contract.

import { beforeAll, describe, it } from 'vitest';
import {
  CheckFailure,
  UdpClient,
  describePayload,
  ensureRunning,
  exchange,
  describeUnsettled,
  labProbe,
  labPath,
  labServer,
  startServer,
  type Scope,
} from '../../tools/harness/index.ts';
import {
  Early,
  expectArrivalLogged,
  expectBomKept,
  expectCleanShutdown,
  expectEachClientAnswered,
  expectExactText,
  expectHostOption,
  expectRandomBytesAnswered,
  expectRealPort,
  expectReplyLogged,
  expectSurvivesBurst,
  expectTooLargeReplyLogged,
} from './support/server-checks.ts';
import { INVALID, invalidHint, respond, upperCaseReply } from './support/upper-case.ts';

const SLUG = '03-complete-server';
const server = labServer(SLUG);
// processMessage is called in a probe process of its own, never in the checker's (support/03-driver.ts).
const processor = labProbe(SLUG, 'process-message.ts', { driver: new URL('./support/03-driver.ts', import.meta.url) });
const HELLO = { send: 'hello', expect: 'Response: HELLO' };

const HOST_CHECK = 'binds the address given by --host';
const SIGINT_CHECK = 'shuts down on Ctrl+C (SIGINT): a message, then exit code 0 within 1 s';
const early = new Early();
const hostCopy = (scope: Scope) => startServer({ file: labPath(SLUG, 'server.ts'), host: '127.0.0.2', scope });
const copy = (scope: Scope) => startServer({ file: labPath(SLUG, 'server.ts'), scope });

describe('lab 03: a complete UDP server', () => {
  beforeAll(() => {
    early.start(HOST_CHECK, hostCopy);
    early.start(SIGINT_CHECK, copy);
  });

  it('prints "UDP server listening on HOST:PORT" with the port it really bound', async () => {
    await expectRealPort(server(), labPath(SLUG, 'server.ts'));
  });

  it('replies "Response: HELLO" to "hello"', async () => {
    await exchange({
      server: await server(),
      ...HELLO,
      hint: (got) => {
        if (!got) return 'Nothing came back: send processMessage(msg) to rinfo.port and rinfo.address, from the socket that received it.';
        if (got.data.toString('utf8') === 'hello') return 'The request came back unchanged: processMessage (process-message.ts) still returns it as it is.';
        return 'The reply is "Response: " followed by the text in upper case, nothing else (no newline).';
      },
    });
  });

  it('upper-cases beyond ASCII: "straße café ŉ" becomes "STRASSE CAFÉ ʼN"', async () => {
    const text = 'straße café ŉ';
    await exchange({
      server: await server(),
      send: text,
      expect: respond(text),
      hint: (got) => {
        const reply = got?.data.toString('utf8') ?? '';
        if (/[ßé]/.test(reply)) {
          return 'Only ASCII letters were upper-cased. Decode the bytes to a string and use text.toUpperCase(): it knows Unicode ("ß" becomes "SS", "é" becomes "É").';
        }
        if (got && got.data.length < Buffer.byteLength(respond(text))) {
          return `The reply is cut short: ${got.data.length} bytes came back, ${Buffer.byteLength(respond(text))} were due. Upper case changes length: "ŉ" (2 bytes) becomes "ʼN" (3), and "straße" (6 UTF-16 units, what text.length counts, but 7 bytes) becomes "STRASSE". Size the reply from the upper-cased text, in bytes: Buffer.from(reply, 'utf8'), never from the request.`;
        }
        return undefined;
      },
    });
  });

  it('answers "Error: Invalid encoding" to bytes that are not UTF-8, and keeps serving', async () => {
    const s = await server();
    const cases = [
      Buffer.from([0xff, 0xfe, 0x41]), // bytes that never occur in UTF-8
      Buffer.from([0x68, 0x69, 0xc3]), // "hi" and the first half of a two-byte character
      Buffer.from([0xc0, 0xaf]), // an over-long encoding of "/"
      Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate, which UTF-8 forbids
    ];
    for (const data of cases) await exchange({ server: s, send: data, expect: INVALID, hint: invalidHint });
    await exchange({
      server: s,
      ...HELLO,
      hint: 'After the invalid bytes, the server no longer answers valid text correctly.',
    });
  });

  it('keeps everything else byte for byte: spaces and tabs at both ends, "\\r\\n", NUL', async () => {
    await expectExactText(await server(), respond);
  });

  it('keeps a leading byte-order mark (ef bb bf), as Python does', async () => {
    await expectBomKept(await server(), respond, "Decode with new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }): Python's decode('utf-8') keeps it, as U+FEFF.");
  });

  it('treats a real "�" (U+FFFD) in valid UTF-8 as text', async () => {
    const text = 'bad byte? no: � is a real character';
    await exchange({
      server: await server(),
      send: text,
      expect: respond(text),
      hint: (got) =>
        got?.data.toString('utf8') === INVALID
          ? 'U+FFFD is a valid character (bytes ef bf bd). Looking for "�" after toString(\'utf8\') cannot tell it from damage: let a fatal TextDecoder (or buffer.isUtf8) decide.'
          : undefined,
    });
  });

  it('replies "Response: " to an empty datagram', async () => {
    await exchange({
      server: await server(),
      send: Buffer.alloc(0),
      expect: 'Response: ',
      hint: 'A zero-length datagram is valid (empty) UTF-8 text: its reply is "Response: ". Look for a test such as `if (!msg.length)` that skips it.',
    });
  });

  it('sends exactly one reply per datagram, valid or not', async () => {
    const s = await server();
    const client = await UdpClient.open();
    await client.send(Buffer.from([0xff]), s.endpoint);
    await client.send('once', s.endpoint);
    // The two replies, then 300 ms for a third that should never come; what the replies say is
    // other checks' business.
    const replies = await client.collect(2, 2000);
    if (replies.length === 2) replies.push(...(await client.collect(1, 300)));
    if (replies.length !== 2) {
      ensureRunning(s, 'after two datagrams');
      throw new CheckFailure({
        summary: replies.length > 2 ? 'More replies came back than datagrams were sent.' : 'Two datagrams should get exactly two replies.',
        sent: `hex ff (not UTF-8), then "once", from ${client.endpoint}`,
        expected: `two replies, "${INVALID}" and "Response: ONCE"`,
        got: replies.length === 0 ? 'nothing within 2 s' : replies.map((d) => describePayload(d.data)).join('\n'),
        log: s.tail(),
        hint:
          replies.length > 2
            ? 'Decide the reply first (processMessage), then send it once. A catch that sends the error reply and then falls through to the normal send answers twice.'
            : 'Every datagram gets an answer, invalid bytes included: "Error: Invalid encoding" is a reply too.',
      });
    }
  });

  it('answers many clients at once, each at its own address and port', async () => {
    await expectEachClientAnswered(await server(), (i) => `client ${i} ß`, (i) => respond(`client ${i} ß`));
  });

  it('exports processMessage(data) from process-message.ts, returning the reply as a Buffer', async (ctx) => {
    const cases: [Buffer, string][] = [
      [Buffer.from('hello'), 'Response: HELLO'],
      [Buffer.from([0xff, 0xfe, 0x41]), INVALID],
    ];
    for (const [data, want] of cases) {
      const o = await processor(ctx).call('processMessage', [data], { timeoutMs: 2000 });
      const sent = `processMessage(${describePayload(data)})`;
      const expected = `a Buffer holding ${describePayload(want)}`;
      if (o.settled === 'rejected') {
        throw new CheckFailure({
          summary: 'processMessage threw instead of returning a reply.',
          sent,
          expected,
          got: `${o.error.name}: ${o.error.message}`,
          hint: 'Catch the decoder\'s TypeError inside processMessage and return "Error: Invalid encoding": every request gets an answer.',
        });
      }
      if (o.settled !== 'resolved') {
        throw new CheckFailure({ summary: `${describeUnsettled('processMessage()', o)!.replace(/^your/, 'Your')}.`, sent, expected, got: o.settled });
      }
      const value = o.value as { missing?: true; buffer?: Buffer; other?: string };
      if (value.missing) {
        throw new CheckFailure({
          summary: `labs/${SLUG}/process-message.ts does not export a function named processMessage.`,
          hint: 'Keep the starter\'s `export function processMessage(data: Buffer): Buffer` in its own module: lesson 04 imports it from there.',
        });
      }
      const result = value.buffer;
      if (!Buffer.isBuffer(result) || !result.equals(Buffer.from(want))) {
        throw new CheckFailure({
          summary: 'processMessage did not return the right reply as a Buffer.',
          sent,
          expected,
          got: Buffer.isBuffer(result) ? `a Buffer holding ${describePayload(result)}` : (value.other ?? 'nothing'),
          hint: Buffer.isBuffer(result)
            ? (invalidHint({ data: result, address: '', port: 0, at: 0 }) ??
              'processMessage answers "Response: " and the text in upper case, or "Error: Invalid encoding" when the bytes are not UTF-8.')
            : "Bytes in, bytes out: return Buffer.from(reply, 'utf8'), not the string. Lesson 04 relies on that contract.",
        });
      }
    }
  });

  it(HOST_CHECK, async (ctx) => {
    await expectHostOption(labPath(SLUG, 'server.ts'), HELLO, (note) => ctx.skip(note), () => early.take(HOST_CHECK, hostCopy));
  });

  it("logs each datagram it receives, naming the sender's address and port", async () => {
    await expectArrivalLogged(await server(), { send: 'log me', expect: 'Response: LOG ME' });
  });

  it("logs each reply it sends, naming the peer's address and port", async () => {
    await expectReplyLogged(await server(), { send: 'log me too', expect: 'Response: LOG ME TOO' });
  });

  it('answers seeded random bytes, valid UTF-8 or not, and keeps serving', async () => {
    await expectRandomBytesAnswered(await server(), upperCaseReply, invalidHint);
  });

  it('logs the EMSGSIZE when a reply is too large to send, and keeps serving', async () => {
    await expectTooLargeReplyLogged(await server(), HELLO);
  });

  it('survives a burst of 1,000 datagrams and answers afterwards', async () => {
    await expectSurvivesBurst(await server(), { send: 'after the burst', expect: 'Response: AFTER THE BURST' });
  });

  it(SIGINT_CHECK, async () => {
    await expectCleanShutdown(labPath(SLUG, 'server.ts'), 'SIGINT', undefined, () => early.take(SIGINT_CHECK, copy));
  });
});
