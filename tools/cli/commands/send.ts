// `npm start -- send HOST:PORT [TEXT]`: a netcat for UDP. Sends the text (or a file, or hex), prints
// every reply with its sender and round-trip time. With no text in a terminal, each line typed is
// one datagram.

import { readFileSync } from 'node:fs';
import { EndpointError, LOOPBACK_BROADCAST, formatEndpoint, parseEndpoint, type Endpoint } from '../../udp/address.ts';
import { replyLine, sentLine } from '../../net/format.ts';
import { PayloadError, parsePayload } from '../../net/payload.ts';
import { MAX_COUNT, SendError, sendDatagrams } from '../../net/send.ts';
import { interactiveSession } from '../../net/session.ts';
import { parseMs, parseWhole } from '../../net/units.ts';
import { UsageError } from '../../term/usage-error.ts';
import { writeLine } from '../../term/io.ts';
import { defineCommand } from '../command.ts';
import { flagValue, seeHelp } from '../flags.ts';

const EXAMPLE = 'npm start -- send 127.0.0.1:41234 hello';

export const sendCommand = defineCommand({
  name: 'send',
  summary: 'send datagrams and print the replies',
  args: [
    { name: 'HOST:PORT', help: `where to: 127.0.0.0/8, ::1, or ${LOOPBACK_BROADCAST} with --broadcast`, what: 'an address and the text' },
    { name: 'TEXT', help: 'the datagram; several words are sent as one, with spaces', what: 'text', optional: true, rest: true },
  ],
  flags: {
    hex: { help: 'TEXT (or the file) is hex bytes, e.g. 68 69; so are replies' },
    file: { value: 'F', help: 'send the bytes of file F' },
    count: { value: 'N', help: `send N datagrams (default 1, at most ${MAX_COUNT.toLocaleString('en-US')})...` },
    interval: { value: 'MS', help: '...MS apart (default 1000)' },
    timeout: { value: 'MS', help: 'wait this long for replies after the last one (default 1000)' },
    broadcast: { help: `set SO_BROADCAST, to send to ${LOOPBACK_BROADCAST}` },
  },
  about: [
    'Sends TEXT as one datagram and prints each reply with its sender and round-trip',
    'time. With no TEXT, in a terminal, each line you type is one datagram.',
    `Example: ${EXAMPLE}`,
  ],
  async run({ args, values }, io) {
    const [where, ...words] = args;
    if (where === undefined) throw new UsageError(`Where to? Type e.g. \`${EXAMPLE}\`.`);
    const target = await expected(() => parseEndpoint(where, { defaultHost: '127.0.0.1' }));
    const hex = values.hex ?? false;
    const broadcast = values.broadcast ?? false;
    if (target.address === LOOPBACK_BROADCAST && !broadcast) {
      throw new UsageError(`${LOOPBACK_BROADCAST} is the loopback broadcast address: add --broadcast to send there (it sets SO_BROADCAST).`);
    }
    if (words.length > 0 && values.file !== undefined) throw new UsageError(`Give the payload as text or with --file, not both. ${seeHelp('send')}`);

    if (words.length === 0 && values.file === undefined) {
      if (!io.interactive) {
        throw new UsageError(`What should be sent? Type e.g. \`${EXAMPLE}\`, or use --file F. (Typing one datagram per line needs a terminal.)`);
      }
      await expected(() => interactiveSession(target, io, { hex, broadcast }));
      return 0;
    }

    const payload = await expected(() => {
      if (values.file === undefined) return parsePayload(words.join(' '), hex);
      const content = readFileSync(values.file);
      return hex ? parsePayload(content.toString('utf8'), true) : content;
    });
    const count = values.count === undefined ? 1 : flagValue('send', 'count', values.count, (v) => parseWhole(v, 1, MAX_COUNT));
    const intervalMs = values.interval === undefined ? 1000 : flagValue('send', 'interval', values.interval, parseMs);
    const timeoutMs = values.timeout === undefined ? 1000 : flagValue('send', 'timeout', values.timeout, parseMs);

    const result = await expected(() =>
      sendDatagrams(target, payload, {
        count,
        intervalMs,
        timeoutMs,
        broadcast,
        signal: io.signal,
        onSent: (n, data) => writeLine(io.stdout, sentLine(target, data, { n: count > 1 ? n : undefined, hex })),
        onReply: (reply) => writeLine(io.stdout, replyLine(reply, hex)),
      }),
    );
    if (count > 1 || broadcast) {
      const n = result.replies.length;
      writeLine(io.stdout, `${result.sent} sent, ${n} ${n === 1 ? 'reply' : 'replies'}.`);
    }
    if (io.signal.aborted) return 130;
    if (result.replies.length === 0) throw new UsageError(noReply(target, timeoutMs, broadcast));
    return 0;
  },
});

function noReply(target: Endpoint, timeoutMs: number, broadcast: boolean): string {
  const where = formatEndpoint(target.address, target.port);
  const waited = `within ${timeoutMs.toLocaleString('en-US')} ms`;
  if (target.address === LOOPBACK_BROADCAST) {
    return `No reply to the broadcast on ${where} ${waited}. A server hears a broadcast only if it is bound to 0.0.0.0 (not 127.0.0.1) on port ${target.port}.`;
  }
  const also = broadcast ? '' : ' (something is listening: it did not refuse the datagram)';
  return `No reply from ${where} ${waited}${also}. The server did not answer, or the datagram or its reply was lost; try --timeout ${Math.max(3000, timeoutMs * 2)}.`;
}

/** Runs `f`, turning the expected failures (bad address, payload, file, refusal) into one-line usage errors. */
async function expected<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof EndpointError || err instanceof PayloadError || err instanceof SendError) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES') {
      throw new UsageError(`Cannot read ${e.path ?? 'the file'} (${e.code}). Check the path given to --file.`);
    }
    throw err;
  }
}
