// A correct request() in another style: a connected socket and events.once.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export async function request(host: string, port: number, payload: Buffer | string, { timeoutMs = 1000 } = {}): Promise<Buffer> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  let timer: NodeJS.Timeout | undefined;
  try {
    socket.connect(port, host);
    await once(socket, 'connect');
    const reply = once(socket, 'message') as Promise<[Buffer]>; // rejects on an 'error' event
    await new Promise<void>((resolve, reject) => socket.send(payload, (err) => (err ? reject(err) : resolve())));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`no reply within ${timeoutMs} ms`)), timeoutMs);
    });
    const [msg] = await Promise.race([reply, timeout]);
    return msg;
  } finally {
    clearTimeout(timer);
    socket.removeAllListeners('message');
    socket.on('error', () => {});
    socket.close();
  }
}
