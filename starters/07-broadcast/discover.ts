// Lab 07 · Broadcast: the discovery client.
//
// discover({ port, timeoutMs, probes }) finds every discovery server
// (server.ts) that listens on `port`:
//
//   - it broadcasts the probe, the 8 bytes "DISCOVER", to
//     127.255.255.255:port, `probes` times, spaced evenly over the first
//     half of `timeoutMs`: a probe that is lost must not hide a server, and
//     a server that answers the last probe still has time to be heard;
//   - it collects replies until `timeoutMs` has passed. A reply counts only
//     if it comes from port `port` and is exactly "HERE <name> <port>" as
//     server.ts's header defines it; anything else is ignored;
//   - it resolves with one entry per name (the first reply wins), sorted by
//     name: [{ name: 'alpha', address: '127.0.0.1', port: 7001 }, ...].
//     `address` is where the reply came from: the service is at that
//     address and the `port` the reply names. Nobody answering is not an
//     error: it resolves with [];
//   - it rejects only when a probe cannot be sent (the send's error), and
//     it closes its socket and clears its timers on every way out.
//
// Try it:   node --import tsx labs/07-broadcast/find.ts --port 8080
//           (with one or more servers running: see server.ts)
// Check it: npm start -- check 07

import dgram from 'node:dgram';

/** Loopback's broadcast address: it never leaves this machine. */
export const BROADCAST_ADDRESS = '127.255.255.255';
export const PROBE = 'DISCOVER';

export interface DiscoverOptions {
  /** The discovery port that the servers share. */
  port: number;
  /** How long to collect replies, in milliseconds (default 1000). */
  timeoutMs?: number;
  /** How many probes to send (default 3). */
  probes?: number;
}

export interface FoundServer {
  /** The name the server announced. */
  name: string;
  /** Where its reply came from. */
  address: string;
  /** The service port it announced. */
  port: number;
}

/** The name and service port a reply announces, or undefined. */
export function parseReply(
  data: Buffer,
): { name: string; port: number } | undefined {
  // TODO: 1. Return { name, port } when `data` is exactly "HERE <name>
  //          <port>" as server.ts's header defines it, and undefined
  //          for anything else: "HERE", "here a 1", "HERE a 1 b",
  //          "HERE a 70000", "HERE a 1e3", "HERE a 01", non-ASCII bytes...
  return undefined;
}

export function discover({
  port,
  timeoutMs = 1000,
  probes = 3,
}: DiscoverOptions): Promise<FoundServer[]> {
  // TODO: 2. Create a udp4 socket; bind it to any address and port.
  // TODO: 3. Once it is bound (before, setBroadcast throws EBADF), call
  //          socket.setBroadcast(true), then send PROBE to
  //          BROADCAST_ADDRESS:port `probes` times, timeoutMs / (2 *
  //          probes) apart. Reject if a send fails (its callback says).
  // TODO: 4. Keep each reply from port `port` that parseReply accepts, as
  //          { name, address: rinfo.address, port }, once per name.
  // TODO: 5. After timeoutMs: clear the timers, close the socket, and
  //          resolve with the servers sorted by name ([] if none).
  return Promise.reject(
    new Error(
      'discover() is not written yet: fill in the TODOs in ' +
        'labs/07-broadcast/discover.ts',
    ),
  );
}
