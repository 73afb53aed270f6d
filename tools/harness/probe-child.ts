// A probe (probe.ts): runs a lab's exported functions in a process of its own, one call at a
// time, for the checker that started it:
//   node --import tsx probe-child.ts <lab module> [<driver module>]
// stdin, one JSON line a call: {"id", "call", "args", "openAfterMs"?} (or {"id", "ping": true}). The lab's module
// is imported at the first call. With a driver (a checker's own module), a call runs
// driver[call](lab, ...args), so that a checker can hand the learner's function what JSON cannot
// carry (a function, an AbortSignal); without one, lab[call](...args). Buffers travel as
// {"$buffer": base64}. Each call is answered with how it settled, how long it took, and what it
// left open a moment later (the resources Node still tracks, less those there before the call).

import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [labFile = '', driverFile] = process.argv.slice(2);
type Module = Record<string, unknown>;
let modules: Promise<{ lab: Module; driver?: Module }> | undefined;

const load = () =>
  (modules ??= (async () => ({
    lab: (await import(pathToFileURL(labFile).href)) as Module,
    ...(driverFile ? { driver: (await import(pathToFileURL(driverFile).href)) as Module } : {}),
  }))());

export function encode(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $buffer: value.toString('base64') };
  if (value instanceof Uint8Array) return { $buffer: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof Error) return { $error: describeError(value) };
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  if (typeof value === 'function') return { $function: value.name || 'anonymous' };
  if (typeof value === 'bigint') return { $bigint: String(value) };
  if (value === undefined) return { $undefined: true };
  return value;
}

export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    if ('$buffer' in value) return Buffer.from(String((value as { $buffer: string }).$buffer), 'base64');
    if ('$undefined' in value) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

function describeError(err: unknown): { name: string; message: string; code?: string } {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : typeof err,
    message: typeof e.message === 'string' ? e.message : String(err),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
  };
}

/** Resources that are the probe's own (its stdin, its stdout), not the learner's. */
const snapshot = () => process.getActiveResourcesInfo();
function leftOpen(before: string[], after: string[]): string[] {
  const left = [...after];
  for (const r of before) {
    const i = left.indexOf(r);
    if (i >= 0) left.splice(i, 1);
  }
  return left;
}

const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // An 'error' event or a throw the learner's code lets escape: reported, then the probe ends.
  process.on('uncaughtException', (err) => {
    send({ crashed: describeError(err), stack: String((err as Error)?.stack ?? '') });
    process.exit(70);
  });
  process.on('unhandledRejection', (err) => {
    send({ crashed: describeError(err), stack: String((err as Error)?.stack ?? '') });
    process.exit(70);
  });
  const lines = createInterface({ input: process.stdin });
  lines.on('close', () => process.exit(0));
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { id: number; ping?: boolean; call?: string; args?: unknown[]; openAfterMs?: number };
    if (message.ping) {
      send({ id: message.id, pong: true });
      return;
    }
    void (async (): Promise<void> => {
      let mods: Awaited<ReturnType<typeof load>>;
      try {
        mods = await load();
      } catch (err) {
        send({ id: message.id, loadError: describeError(err), stack: String((err as Error)?.stack ?? '') });
        return;
      }
      const before = snapshot();
      const started = performance.now();
      const args = (decode(message.args ?? []) as unknown[]) ?? [];
      const target = mods.driver ?? mods.lab;
      const fn = target[message.call ?? ''];
      if (typeof fn !== 'function') {
        send({ id: message.id, missing: message.call });
        return;
      }
      let outcome: object;
      try {
        const value = await (mods.driver ? fn(mods.lab, ...args) : fn(...args));
        outcome = { settled: 'resolved', value: encode(value) };
      } catch (err) {
        outcome = { settled: 'rejected', error: describeError(err) };
      }
      const ms = Math.round(performance.now() - started);
      // What the call left behind, once a socket being closed has had the time to go.
      // (The timer that runs this is still listed while it runs: it is the probe's own.)
      setTimeout(() => send({ id: message.id, ...outcome, ms, open: leftOpen([...before, 'Timeout'], snapshot()) }), message.openAfterMs ?? 0);
    })();
  });
}
