// UDP addresses, as the harness and the network tools both use them: an endpoint, how it is written
// (`127.0.0.1:8080`, `[::1]:8080`), how to parse what a learner types (`localhost:8080` and, where a
// default host makes sense, a bare port), and the rule that the workbook talks only to this
// machine: 127.0.0.0/8, ::1, and 127.255.255.255 (loopback broadcast, with --broadcast). Anything
// else is refused with a message that says why and what to type instead.
//
// Ground floor, like tools/term/: it imports nothing else of tools/.

import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface Endpoint {
  address: string;
  port: number;
}

/** `::ffff:127.0.0.1` (an IPv4 peer seen by an IPv6 socket, FACTS 18) → `127.0.0.1`. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** `127.0.0.1:8080`, `[::1]:8080`. */
export function formatEndpoint(address: string, port: number): string {
  const host = normaliseAddress(address);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && normaliseAddress(a.address) === normaliseAddress(b.address);
}

/**
 * Whether a log line names this peer, in whatever style: `127.0.0.1:50123`,
 * `('127.0.0.1', 50123)`, `127.0.0.1 port 50123`. The address and the port must both appear, the
 * port as a number of its own (not part of a longer one).
 */
export function namesEndpoint(line: string, peer: Endpoint): boolean {
  return line.includes(normaliseAddress(peer.address)) && new RegExp(`(?<!\\d)${peer.port}(?!\\d)`).test(line);
}

export const LOOPBACK_BROADCAST = '127.255.255.255';

/** A refused or malformed address. The message is one line, written for the learner. */
export class EndpointError extends Error {
  override name = 'EndpointError';
}

export interface ParseOptions {
  /** Used when only a port is given (e.g. `9000`); without it a host is required. */
  defaultHost?: string;
  /** Accept port 0 (let the OS choose), for listening. */
  allowPortZero?: boolean;
  /** An example to show in messages, e.g. `127.0.0.1:41234`. */
  example?: string;
}

export function parseEndpoint(text: string, options: ParseOptions = {}): Endpoint {
  const example = options.example ?? '127.0.0.1:41234';
  const trimmed = text.trim();
  let host: string | undefined;
  let port: string;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] === undefined) throw new EndpointError(`"${text}" has no port: write [${host}]:PORT, e.g. [::1]:41234.`);
    port = bracketed[2];
  } else if (/^\d+$/.test(trimmed) && options.defaultHost !== undefined) {
    port = trimmed;
  } else {
    const colons = trimmed.split(':').length - 1;
    if (colons > 1) throw new EndpointError(`"${text}": put an IPv6 address in brackets, e.g. [::1]:41234.`);
    if (colons === 0) throw new EndpointError(`"${text}" has no port: write HOST:PORT, e.g. ${example}.`);
    const i = trimmed.lastIndexOf(':');
    host = trimmed.slice(0, i);
    port = trimmed.slice(i + 1);
  }
  const address = host === undefined || host === '' ? (options.defaultHost ?? '') : resolveHost(host, example);
  if (address === '') throw new EndpointError(`"${text}" has no host: write HOST:PORT, e.g. ${example}.`);
  return { address, port: parsePort(port, options.allowPortZero ?? false, example) };
}

function resolveHost(host: string, example: string): string {
  if (host.toLowerCase() === 'localhost') return '127.0.0.1';
  const address = normaliseAddress(host.toLowerCase());
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return address;
  throw new EndpointError(
    `"${host}" is not an IP address. The workbook only talks to this machine: use 127.0.0.1, ::1 or localhost, e.g. ${example}.`,
  );
}

function parsePort(text: string, allowZero: boolean, example: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  const min = allowZero ? 0 : 1;
  if (!(port >= min && port <= 65535)) {
    throw new EndpointError(`"${text}" is not a port: use a number from ${min} to 65535, e.g. ${example}.`);
  }
  return port;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for 127.0.0.0/8 and ::1, in any spelling (IPv4-mapped too). */
export function isLoopback(address: string): boolean {
  if (isIPv4(address)) return LOOPBACK.check(address, 'ipv4');
  return isIPv6(address) && LOOPBACK.check(address, 'ipv6');
}

export type Purpose = 'send' | 'broadcast' | 'listen' | 'target';

/**
 * Throws an EndpointError unless the workbook may use this address for that purpose: sending or
 * listening on 127.0.0.0/8 or ::1, broadcasting only to 127.255.255.255. Never 255.255.255.255.
 */
export function checkLoopback(endpoint: Endpoint, purpose: Purpose): void {
  const { address } = endpoint;
  const where = formatEndpoint(address, endpoint.port);
  const rule = 'the workbook only talks to this machine (127.0.0.0/8, ::1, or 127.255.255.255 with --broadcast)';
  if (address === '255.255.255.255') {
    throw new EndpointError(`Refusing 255.255.255.255: it broadcasts to the whole local network; ${rule}. Use ${LOOPBACK_BROADCAST}:${endpoint.port} with --broadcast.`);
  }
  if (address === '0.0.0.0' || address === '::') {
    throw new EndpointError(`Refusing ${address}: it means every interface, and ${rule}. Use 127.0.0.1:${endpoint.port}.`);
  }
  if (address === LOOPBACK_BROADCAST) {
    if (purpose === 'broadcast') return;
    if (purpose === 'send') throw new EndpointError(`${LOOPBACK_BROADCAST} is the loopback broadcast address: add --broadcast to send there (it sets SO_BROADCAST).`);
    throw new EndpointError(`${where} is the loopback broadcast address; the proxy needs one server's address, e.g. 127.0.0.1:${endpoint.port}.`);
  }
  if (!isLoopback(address)) {
    throw new EndpointError(`Refusing ${where}: ${rule}. Try 127.0.0.1:${endpoint.port}.`);
  }
  if (purpose === 'broadcast' && isIPv6(address)) {
    throw new EndpointError(`IPv6 has no broadcast; to broadcast on loopback send to ${LOOPBACK_BROADCAST}:${endpoint.port}.`);
  }
}

/** The largest UDP payload to this address: 65,507 B over IPv4, 65,527 B over IPv6 (FACTS 3). */
export function maxPayload(address: string): number {
  return isIPv6(address) ? 65_527 : 65_507;
}

export function familyOf(address: string): 'udp4' | 'udp6' {
  return isIPv6(address) ? 'udp6' : 'udp4';
}
