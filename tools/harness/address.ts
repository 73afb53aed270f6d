/** `::ffff:127.0.0.1` (an IPv4 peer seen by an IPv6 socket, FACTS 18) → `127.0.0.1`. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** `127.0.0.1:8080`, `[::1]:8080`. */
export function formatEndpoint(address: string, port: number): string {
  const host = normaliseAddress(address);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function sameEndpoint(
  a: { address: string; port: number },
  b: { address: string; port: number },
): boolean {
  return a.port === b.port && normaliseAddress(a.address) === normaliseAddress(b.address);
}

/**
 * Whether a log line names this peer, in whatever style: `127.0.0.1:50123`,
 * `('127.0.0.1', 50123)`, `127.0.0.1 port 50123`. The address and the port must both appear, the
 * port as a number of its own (not part of a longer one).
 */
export function namesEndpoint(line: string, peer: { address: string; port: number }): boolean {
  return line.includes(normaliseAddress(peer.address)) && new RegExp(`(?<!\\d)${peer.port}(?!\\d)`).test(line);
}
