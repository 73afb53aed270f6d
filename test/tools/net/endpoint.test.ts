// Addresses as typed, and the network rule: only this machine, never 255.255.255.255.

import { describe, expect, it } from 'vitest';
import { EndpointError, checkLoopback, isLoopback, maxPayload, parseEndpoint } from '../../../tools/udp/address.ts';
import { parseMs, parsePercent, parseRate } from '../../../tools/net/units.ts';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(EndpointError);
    return (err as Error).message;
  }
  throw new Error('expected an EndpointError');
};

describe('endpoints: parsing', () => {
  it('reads IPv4, bracketed IPv6 and localhost', () => {
    expect(parseEndpoint('127.0.0.1:8080')).toEqual({ address: '127.0.0.1', port: 8080 });
    expect(parseEndpoint('[::1]:8080')).toEqual({ address: '::1', port: 8080 });
    expect(parseEndpoint('localhost:8080')).toEqual({ address: '127.0.0.1', port: 8080 });
    expect(parseEndpoint('[::ffff:127.0.0.1]:9')).toEqual({ address: '127.0.0.1', port: 9 });
  });

  it('takes a bare port when there is a default host, and port 0 only when allowed', () => {
    expect(parseEndpoint('9000', { defaultHost: '127.0.0.1' })).toEqual({ address: '127.0.0.1', port: 9000 });
    expect(parseEndpoint('0', { defaultHost: '127.0.0.1', allowPortZero: true }).port).toBe(0);
    expect(refusal(() => parseEndpoint('127.0.0.1:0'))).toMatch(/use a number from 1 to 65535/);
  });

  it('says what is wrong with a bad address or port, with an example', () => {
    expect(refusal(() => parseEndpoint('127.0.0.1'))).toBe('"127.0.0.1" has no port: write HOST:PORT, e.g. 127.0.0.1:41234.');
    expect(refusal(() => parseEndpoint('127.0.0.1:70000'))).toBe('"70000" is not a port: use a number from 1 to 65535, e.g. 127.0.0.1:41234.');
    expect(refusal(() => parseEndpoint('127.0.0.1:http'))).toMatch(/"http" is not a port/);
    expect(refusal(() => parseEndpoint('::1:8080'))).toMatch(/put an IPv6 address in brackets, e\.g\. \[::1\]:41234/);
    expect(refusal(() => parseEndpoint('example.com:80'))).toMatch(/"example.com" is not an IP address\. The workbook only talks to this machine/);
    expect(refusal(() => parseEndpoint('[::1]'))).toMatch(/has no port/);
  });
});

describe('endpoints: the network rule', () => {
  it('knows loopback in its spellings', () => {
    for (const a of ['127.0.0.1', '127.4.5.6', '::1', '0:0:0:0:0:0:0:1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['128.0.0.1', '10.0.0.1', '::2', '192.168.1.1', '0.0.0.0']) expect(isLoopback(a)).toBe(false);
  });

  it('refuses any address that is not on this machine, and says why', () => {
    expect(refusal(() => checkLoopback({ address: '10.0.0.1', port: 80 }, 'send'))).toBe(
      'Refusing 10.0.0.1:80: the workbook only talks to this machine (127.0.0.0/8, ::1, or 127.255.255.255 with --broadcast). Try 127.0.0.1:80.',
    );
    expect(refusal(() => checkLoopback({ address: '0.0.0.0', port: 9000 }, 'listen'))).toMatch(/^Refusing 0\.0\.0\.0: it means every interface/);
  });

  it('never allows 255.255.255.255, not even to broadcast', () => {
    expect(refusal(() => checkLoopback({ address: '255.255.255.255', port: 9 }, 'broadcast'))).toMatch(
      /^Refusing 255\.255\.255\.255: it broadcasts to the whole local network.*Use 127\.255\.255\.255:9 with --broadcast\.$/,
    );
  });

  it('allows 127.255.255.255 only to broadcast', () => {
    expect(() => checkLoopback({ address: '127.255.255.255', port: 9 }, 'broadcast')).not.toThrow();
    expect(refusal(() => checkLoopback({ address: '127.255.255.255', port: 9 }, 'send'))).toMatch(/add --broadcast/);
    expect(refusal(() => checkLoopback({ address: '127.255.255.255', port: 9 }, 'target'))).toMatch(/needs one server's address/);
  });

  it('names the largest payload per IP version', () => {
    expect(maxPayload('127.0.0.1')).toBe(65_507);
    expect(maxPayload('::1')).toBe(65_527);
  });
});

describe('units', () => {
  it('reads percentages, durations and rates as typed', () => {
    expect(parsePercent('20%')).toBe(0.2);
    expect(parsePercent('0.5%')).toBe(0.005);
    expect(() => parsePercent('0.2')).toThrow('"0.2" is ambiguous: write 0.2% or 20%.');
    expect(() => parsePercent('120%')).toThrow(/over 100%/);
    expect(parseMs('40')).toBe(40);
    expect(parseMs('2s')).toBe(2000);
    expect(parseRate('1Mbit')).toBe(125_000);
    expect(parseRate('1Mbps')).toBe(125_000);
    expect(parseRate('64kB')).toBe(64_000);
    expect(() => parseRate('64kb')).toThrow(/is not a rate: write e\.g\. 1Mbit, 500kbit or 64kB/);
  });
});
