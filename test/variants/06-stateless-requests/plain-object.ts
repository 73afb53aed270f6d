// A bug: handle-request.ts with its command table in a plain object, looked up with
// COMMANDS[name]. Every plain object inherits toString, constructor, __proto__… from
// Object.prototype, so those names find something: "toString" is answered "[object Undefined]",
// and "constructor" makes a reply that is not text at all.
const UNKNOWN = 'Unknown command';
const INVALID = 'Error: Invalid encoding';
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type Handler = (argument: string | undefined) => string | undefined;

const COMMANDS: Record<string, Handler> = {
  TIME: (argument) => (argument === undefined ? new Date().toISOString() : undefined),
  ECHO: (argument) => argument,
};

function answer(bytes: Buffer): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return INVALID;
  }
  const space = text.indexOf(' ');
  const name = space === -1 ? text : text.slice(0, space);
  const handler = COMMANDS[name];
  return String(handler?.(space === -1 ? undefined : text.slice(space + 1)) ?? UNKNOWN);
}

const ID = /^#[A-Za-z0-9_-]{1,16} /;

export function handleRequest(data: Buffer): Buffer {
  const id = ID.exec(data.subarray(0, 18).toString('latin1'))?.[0] ?? '';
  return Buffer.from(id + answer(data.subarray(id.length)), 'utf8');
}
