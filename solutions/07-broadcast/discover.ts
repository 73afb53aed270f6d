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

// "HERE", a name of printable ASCII, a port without sign or leading zero.
// Reading the bytes as latin1 maps each byte to one character, so a byte
// of 0x80 or more can never pass for one of the name's characters.
const REPLY = /^HERE ([!-~]{1,63}) ([1-9][0-9]{0,4})$/;

/** The name and service port a reply announces, or undefined. */
export function parseReply(
  data: Buffer,
): { name: string; port: number } | undefined {
  const match = REPLY.exec(data.toString('latin1'));
  if (!match) return undefined;
  const port = Number(match[2]);
  return port <= 65535 ? { name: match[1]!, port } : undefined;
}

export function discover({
  port,
  timeoutMs = 1000,
  probes = 3,
}: DiscoverOptions): Promise<FoundServer[]> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return Promise.reject(new RangeError(`port must be 1-65535: ${port}`));
  }
  if (!(timeoutMs > 0) || !Number.isInteger(probes) || probes < 1) {
    return Promise.reject(new RangeError('timeoutMs > 0, probes >= 1'));
  }
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const found = new Map<string, FoundServer>();
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    };

    // Every way out comes through here, once: the timers are cleared and
    // the socket closed, so that nothing keeps the caller's program alive.
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve([...found.values()].sort(byName));
    };

    socket.on('error', (err) => finish(err));

    socket.on('message', (msg, rinfo) => {
      // Every server answers from the discovery port. A datagram from any
      // other port is someone else's: a stray, or a forgery.
      if (rinfo.port !== port) return;
      const reply = parseReply(msg);
      // Not a reply (our own probe, if we were bound to `port`, or junk),
      // or a server already found: the same server answers every probe.
      if (!reply || found.has(reply.name)) return;
      found.set(reply.name, { ...reply, address: rinfo.address });
    });

    // Any address, any port: the replies come back by unicast to it.
    socket.bind(() => {
      // Only now: before the socket is bound, setBroadcast throws EBADF.
      socket.setBroadcast(true);
      const gap = timeoutMs / (2 * probes);
      const probe = (n: number) => {
        // A failed send (EACCES without setBroadcast) is reported here.
        socket.send(PROBE, port, BROADCAST_ADDRESS, (err) => {
          if (err) finish(err);
        });
        // The next probe a gap after this one, never in a burst: the
        // losses that hit one datagram often hit the next one too.
        if (n < probes) later(gap, () => probe(n + 1));
      };
      probe(1);
      later(timeoutMs, () => finish());
    });
  });
}

/** By name, in code-unit order (the names are ASCII: byte order). */
function byName(a: FoundServer, b: FoundServer): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
