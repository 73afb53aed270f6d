// Lab 10 · Rate limits: a token bucket per source address, in a table of
// bounded size.
//
// Each address has a bucket that holds at most `burst` tokens and fills at
// `rate` tokens a second. A request takes one token; with none left, it is
// dropped. Over any stretch of T seconds an address gets at most
// burst + rate × T requests through, however it spreads them.
//
// The key is the address alone, never the port: one host has 65,535 ports,
// and a limit per port would give it 65,535 buckets.
//
// The table of buckets holds at most `maxSources` addresses. When a new one
// comes and the table is full, the least recently seen address is forgotten.
// Forgetting costs little: a forgotten address starts again with a full
// bucket, which it would soon have anyway. Never forgetting costs everything:
// anyone who can send from many addresses (or forge them) grows the table
// until the process runs out of memory.

export interface RateLimitOptions {
  /** Tokens added per second. */
  rate: number;
  /** Most tokens a bucket holds: the largest burst an address gets through. */
  burst: number;
  /** Most addresses remembered at once. */
  maxSources: number;
}

export interface RateLimiter {
  /** Takes a token from this address's bucket, if it has one. */
  allow(source: string, now: number): boolean;
  /** How many addresses are remembered. */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in milliseconds. */
  updated: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { rate, burst, maxSources } = options;

  // A Map iterates in insertion order. Deleting an entry and setting it again
  // moves it to the end, so the first key is always the least recently seen.
  const buckets = new Map<string, Bucket>();

  function bucketOf(source: string, now: number): Bucket {
    let bucket = buckets.get(source);
    if (!bucket) {
      // A new address starts with a full bucket: its first requests pass.
      bucket = { tokens: burst, updated: now };
      buckets.set(source, bucket);
    }
    // TODO: 4. The table grows with every new address, forever. Make it an
    //          LRU: move a known address to the end (delete it, set it
    //          again), and when there are more than maxSources, delete the
    //          first key, buckets.keys().next().value: the least recently
    //          seen.
    return bucket;
  }

  return {
    allow(source, now) {
      const bucket = bucketOf(source, now);
      // TODO: 5. Refill the bucket for the time since bucket.updated (rate
      //          tokens a second, never more than burst in all), set
      //          bucket.updated = now, then take one token if there is one.
      //          Return false when there is none: the request is dropped.
      bucket.updated = now;
      return true;
    },
    get size() {
      return buckets.size;
    },
  };
}
