// A correct request() in another style: AbortSignal.timeout closes the socket (FACTS 17), and the
// signal's reason is a DOMException whose name is already "TimeoutError". The name is looked up
// for IPv4, as the udp4 socket itself would (FACTS 24), so that replies can be compared with it.
import dgram from 'node:dgram';
import dns from 'node:dns';

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
    dns.lookup(host, { family: 4 }, (lookupError, address) => {
      if (signal.aborted) return; // the socket is closed already
      if (lookupError) {
        socket.emit('error', lookupError);
        return;
      }
      socket.on('message', (msg, rinfo) => {
        if (rinfo.port !== port || rinfo.address !== address) return;
        done();
        resolve(msg);
        socket.close();
      });
      socket.send(typeof payload === 'string' ? Buffer.from(payload) : payload, port, address, (err) => {
        if (!err) return;
        done();
        reject(err);
        socket.close();
      });
    });
  });
}
