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

  // No reuseAddr: the document sets SO_REUSEADDR, and on Linux that lets a
  // second server bind this same port without an error and silently take all
  // of its traffic. Without it, a port in use fails loudly, with EADDRINUSE,
  // which is what we want to catch.
  const type = host.includes(':') ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => socket.close(() => resolve())));

  async function answer(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    const peer = `${rinfo.address}:${rinfo.port}`;
    log.info(`Received ${msg.length} bytes from ${peer}`);

    // `await` inside `try` catches both ways processing can fail: a throw,
    // and a promise that rejects. Without the await, a rejection would escape
    // the try and, unhandled, end the process. Either way only this request
    // fails: answer() returns to the event loop at the await, so other
    // datagrams are answered while this one is being processed.
    let reply: Buffer;
    try {
      reply = await processMessage(msg);
    } catch (err) {
      log.error(`Error processing message from ${peer}: ${describe(err)}`);
      reply = ERROR_REPLY;
    }

    // The server may have been closed while processing took its time: then
    // there is nobody left to answer, and send() would throw.
    if (closing) return;

    // A failed send (EMSGSIZE for a reply over 65,507 bytes) is reported
    // here and nowhere else. It concerns this reply only: log it, and the
    // server carries on.
    socket.send(reply, rinfo.port, rinfo.address, (err) => {
      if (err) log.error(`Could not send to ${peer}: ${err.message}`);
      else log.info(`Sent ${reply.length} bytes to ${peer}`);
    });
  }

  return new Promise((resolve, reject) => {
    // Before the socket is bound, an error means the server cannot start: the
    // port is taken (EADDRINUSE), the address is not this machine's
    // (EADDRNOTAVAIL), the host name does not resolve (ENOTFOUND). Close the
    // socket, and let the caller decide what to tell the user.
    const cannotStart = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', cannotStart);

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
      socket.off('error', cannotStart);
      // Once running, an 'error' event concerns one operation, not the
      // socket: log it and keep serving, as the document's `except
      // socket.error: continue` does. Without a listener, Node would end the
      // process on the first one.
      socket.on('error', (err) => log.error(`Socket error: ${err.message}`));
      const { address, port: bound } = socket.address();
      log.info(`UDP server listening on ${address}:${bound}`);
      resolve({ socket, close });
    });
  });
}
