// A correct discover() in another style: async/await, setInterval for the probes, AbortSignal.timeout
// for the end, a plain object for the servers found, and a parser that splits instead of a pattern.
import { createSocket } from 'node:dgram';

export const BROADCAST_ADDRESS = '127.255.255.255';
export const PROBE = 'DISCOVER';

export interface DiscoverOptions {
  port: number;
  timeoutMs?: number;
  probes?: number;
}

export interface FoundServer {
  name: string;
  address: string;
  port: number;
}

export function parseReply(data: Buffer): { name: string; port: number } | undefined {
  const parts = data.toString('latin1').split(' ');
  if (parts.length !== 3 || parts[0] !== 'HERE') return undefined;
  const [, name = '', digits = ''] = parts;
  if (name.length < 1 || name.length > 63 || [...name].some((c) => c < '!' || c > '~')) return undefined;
  if (!/^[1-9]\d{0,4}$/.test(digits) || Number(digits) > 65535) return undefined;
  return { name, port: Number(digits) };
}

export async function discover({ port, timeoutMs = 1000, probes = 3 }: DiscoverOptions): Promise<FoundServer[]> {
  const socket = createSocket('udp4');
  const found: Record<string, FoundServer> = {};
  socket.on('message', (msg, rinfo) => {
    const reply = rinfo.port === port ? parseReply(msg) : undefined;
    if (reply && !(reply.name in found)) found[reply.name] = { name: reply.name, address: rinfo.address, port: reply.port };
  });
  const done = AbortSignal.timeout(timeoutMs);
  let interval: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setBroadcast(true);
    let failure: Error | undefined;
    const send = () => socket.send(PROBE, port, BROADCAST_ADDRESS, (err) => (failure ??= err ?? undefined));
    send();
    let sent = 1;
    interval = setInterval(() => {
      if (sent < probes) {
        sent++;
        send();
      } else clearInterval(interval);
    }, timeoutMs / (2 * probes));
    await new Promise((resolve) => done.addEventListener('abort', resolve, { once: true }));
    if (failure) throw failure;
    return Object.values(found).sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    clearInterval(interval);
    socket.close();
  }
}
