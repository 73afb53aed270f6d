// Runs in lab 03's probe process (tools/harness/probe.ts): calls the lab's processMessage and says
// what it returned, so that a Promise or a string is told apart from the Buffer it must be (the
// probe would otherwise wait for a Promise, and carry a string as a string).
export function processMessage(lab: { processMessage?: unknown }, data: Buffer): { missing: true } | { buffer: Buffer } | { other: string } {
  if (typeof lab.processMessage !== 'function') return { missing: true };
  const result: unknown = (lab.processMessage as (data: Buffer) => unknown)(data);
  if (Buffer.isBuffer(result)) return { buffer: result };
  return { other: `${result instanceof Promise ? 'a Promise' : `a ${typeof result}`}: ${String(result).slice(0, 60)}` };
}
