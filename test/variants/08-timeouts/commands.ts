// A correct commands.ts written differently from the solution: a table of commands, each with a
// parser for its argument, the id taken off with Buffer methods, and isUtf8 for the encoding.
// handleRequest(data, signal) as in the starter.
import { isUtf8 } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';

type Handler = (argument: string, signal?: AbortSignal) => string | Promise<string>;

const table = new Map<string, { takesArgument: boolean; run: Handler }>([
  ['TIME', { takesArgument: false, run: () => new Date().toISOString() }],
  ['ECHO', { takesArgument: true, run: (text) => text }],
  [
    'SLOW',
    {
      takesArgument: true,
      run: async (argument, signal) => {
        const space = argument.indexOf(' ');
        const digits = space < 0 ? '' : argument.slice(0, space);
        if (!/^[0-9]{1,5}$/.test(digits) || Number(digits) > 10_000) return 'Error: Invalid delay';
        await sleep(Number(digits), null, { signal });
        return argument.slice(space + 1);
      },
    },
  ],
]);

function idLength(data: Buffer): number {
  if (data[0] !== 0x23) return 0;
  for (let i = 1; i < data.length && i <= 17; i++) {
    const c = data[i]!;
    if (c === 0x20) return i > 1 ? i + 1 : 0;
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
    if (!ok) return 0;
  }
  return 0;
}

export async function handleRequest(data: Buffer, signal?: AbortSignal): Promise<Buffer> {
  const cut = idLength(data);
  const id = data.subarray(0, cut);
  const rest = data.subarray(cut);
  if (!isUtf8(rest)) return Buffer.concat([id, Buffer.from('Error: Invalid encoding')]);
  // Buffer's own decoder drops nothing here (valid UTF-8), and keeps a leading BOM as U+FEFF.
  const text = rest.toString('utf8');
  const space = text.indexOf(' ');
  const name = space < 0 ? text : text.slice(0, space);
  const command = table.get(name);
  const answer = command && command.takesArgument === space >= 0 ? await command.run(space < 0 ? '' : text.slice(space + 1), signal) : 'Unknown command';
  return Buffer.concat([id, Buffer.from(answer, 'utf8')]);
}
