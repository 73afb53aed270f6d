// A correct request() in another style: AbortSignal.timeout closes the socket (FACTS 17), and the
// signal's reason is a DOMException whose name is already "TimeoutError".
import dgram from 'node:dgram';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export function request(host: string, port: number, payload: Buffer | string, options: { timeoutMs?: number } = {}): Promise<Buffer> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 1000);
  const socket = dgram.createSocket({ type: 'udp4', signal });
  return new Promise<Buffer>((resolve, reject) => {
    const done = () => socket.removeAllListeners('message');
    signal.addEventListener('abort', () => {
      done();
      reject(signal.reason);
    });
    socket.on('error', (err) => {
      done();
      reject(err);
      socket.close();
    });
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== port || rinfo.address !== host) return;
      done();
      resolve(msg);
      socket.close();
    });
    socket.send(typeof payload === 'string' ? Buffer.from(payload) : payload, port, host, (err) => {
      if (!err) return;
      done();
      reject(err);
      socket.close();
    });
  });
}
