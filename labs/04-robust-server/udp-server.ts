// Lab 04 · A robust UDP server: the server, as a function that starts it.
//
// The contract (server.ts uses it; so does the checker, which passes in
// processors that fail on purpose, and so can your own tests):
//
//   startServer({ host, port, processMessage, log? }): Promise<UdpServer>
//
//   - binds a UDP socket to host:port, without reuseAddr, and logs
//     "UDP server listening on HOST:PORT" with the port it really got;
//   - if it cannot bind (err.code 'EADDRINUSE' when the port is taken),
//     closes the socket and rejects with that error;
//   - answers each datagram with the bytes of `await processMessage(data)`,
//     sent to the datagram's sender. If processing throws or rejects, it
//     answers the 24 bytes of "Error processing request" to that sender and
//     logs the error with the sender's address and port; every other client
//     is served as usual;
//   - logs a reply that cannot be sent (EMSGSIZE: over 65,507 bytes) and
//     carries on;
//   - logs an 'error' event on the running socket and carries on;
//   - resolves with { socket, close }: close() closes the socket once, and
//     resolves when it is closed.
//
// `log` defaults to the logger of logger.ts.

import dgram from 'node:dgram';
import { createLogger, type Logger } from './logger.ts';

/** Any function from a request's bytes to the reply's bytes, now or later. */
export type ProcessMessage = (data: Buffer) => Buffer | Promise<Buffer>;

export interface ServerOptions {
  host: string;
  port: number;
  processMessage: ProcessMessage;
  log?: Logger;
}

export interface UdpServer {
  readonly socket: dgram.Socket;
  close(): Promise<void>;
}

export const ERROR_REPLY = Buffer.from('Error processing request', 'utf8');

const describe = (err: unknown) =>
  err instanceof Error ? err.message : String(err);

export function startServer(options: ServerOptions): Promise<UdpServer> {
  const { host, port, processMessage, log = createLogger() } = options;

  // TODO: 1. The document sets SO_REUSEADDR, and so does this line. Find out
  //          in the lesson what it does to a unicast server on Linux, and
  //          remove it.
  const type = host.includes(':') ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type, reuseAddr: true });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => socket.close(() => resolve())));

  async function answer(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    const peer = `${rinfo.address}:${rinfo.port}`;
    log.info(`Received ${msg.length} bytes from ${peer}`);

    // TODO: 2. Processing may throw, or return a promise that rejects. Catch
    //          both: log the error with the peer's address and port
    //          (describe(err) gives its message), and answer ERROR_REPLY
    //          instead. The other clients must not notice.
    const reply = await processMessage(msg);

    // The server may have been closed while processing took its time: then
    // there is nobody left to answer, and send() would throw.
    if (closing) return;

    socket.send(reply, rinfo.port, rinfo.address, (err) => {
      // TODO: 3. Log what became of the reply, naming the peer: the error if
      //          the send failed (a reply over 65,507 bytes fails with
      //          EMSGSIZE, reported here and nowhere else), otherwise that it
      //          was sent. Either way, the server carries on.
    });
  }

  return new Promise((resolve, reject) => {
    // TODO: 4. An error before the socket is bound means the server cannot
    //          start (the port is taken, say). Close the socket, then reject
    //          with the error. Once bound, remove this listener (socket.off),
    //          so that later errors go to the one of TODO 5.
    socket.once('error', reject);

    // A listener that is not async and never throws: whatever goes wrong with
    // one datagram is logged, and the next datagram is served. (An async
    // listener's rejection would go unhandled, and end the process.)
    socket.on('message', (msg, rinfo) => {
      answer(msg, rinfo).catch((err: unknown) => {
        const who = `${rinfo.address}:${rinfo.port}`;
        log.error(`Could not answer ${who}: ${describe(err)}`);
      });
    });

    socket.bind(port, host, () => {
      // TODO: 5. From now on an 'error' event concerns one operation, not the
      //          server: listen for it for good, log it, and keep serving.
      //          Without a listener, Node would end the process on the first
      //          one.
      const { address, port: bound } = socket.address();
      log.info(`UDP server listening on ${address}:${bound}`);
      resolve({ socket, close });
    });
  });
}
