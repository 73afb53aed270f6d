// A bug learners write: a connected socket with no 'error' listener.
import { createSocket } from 'node:dgram';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export function request(host: string, port: number, payload: Buffer | string, { timeoutMs = 1000 } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new TimeoutError('timed out'));
    }, timeoutMs);
    socket.connect(port, host, () => {
      socket.send(payload, (err) => {
        if (err) {
          clearTimeout(timer);
          socket.close();
          reject(err);
        }
      });
    });
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
  });
}
