// Lab 09 · Reliability: option negotiation (RFC 2347, 2348, 2349, 7440).
//
// A client may add options to its RRQ. The server answers the ones it
// accepts in an OACK, with the values it will use, and ignores the others
// (it must not refuse a transfer for an option it does not know). When it
// accepts none, there is no OACK: the transfer starts with DATA block 1, as
// in RFC 1350. Every value here is a decimal number; one that is not (or is
// out of range, as the table says) is ignored, not acknowledged.
//
//   option      RFC   client asks     server answers
//   blksize     2348  8 to 65,464     the same; 65,464 if asked for more
//   timeout     2349  1 to 255 (s)    the same value, or nothing
//   tsize       2349  0 (in an RRQ)   the file's size in bytes
//   windowsize  7440  1 to 65,535     the same; 65,535 if asked for more
//
// Without an option, a transfer uses blocks of 512 bytes, a window of one
// block (stop-and-wait), and the server's own timeout (--timeout-ms).

export interface Negotiated {
  blksize: number;
  windowsize: number;
  /** The client's timeout, when it asked for one; else undefined. */
  timeoutMs: number | undefined;
  /** What goes in the OACK, in the order the client asked; empty: none. */
  accepted: Map<string, string>;
}

export const DEFAULT_BLKSIZE = 512;
export const MAX_BLKSIZE = 65_464;
export const MAX_WINDOWSIZE = 65_535;

/** A whole number written in decimal digits, or undefined. */
function decimal(value: string): number | undefined {
  // parseInt('12abc') is 12 and Number('') is 0: both would accept
  // nonsense. Only digits are a number here.
  return /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

export function negotiate(
  requested: ReadonlyMap<string, string>,
  fileSize: number,
): Negotiated {
  const result: Negotiated = {
    blksize: DEFAULT_BLKSIZE,
    windowsize: 1,
    timeoutMs: undefined,
    accepted: new Map(),
  };
  for (const [name, value] of requested) {
    const n = decimal(value);
    if (n === undefined) continue;
    if (name === 'blksize' && n >= 8) {
      // The server may answer a smaller block than the client asked for,
      // never a larger one (RFC 2348).
      result.blksize = Math.min(n, MAX_BLKSIZE);
      result.accepted.set(name, String(result.blksize));
    }
    // TODO: 1. Accept the other three options, as the table above says:
    //          - timeout, 1 to 255 seconds: result.timeoutMs in
    //            milliseconds, and the same value in the OACK;
    //          - tsize: the OACK says the file's size, String(fileSize);
    //          - windowsize, 1 or more: at most MAX_WINDOWSIZE, into
    //            result.windowsize and the OACK.
    //          Anything else stays out of result.accepted.
  }
  return result;
}
