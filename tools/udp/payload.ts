// A datagram's bytes as text, for the harness's failure messages and the network tools alike.

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8 (nothing is replaced). */
export function decodeStrict(buf: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}
