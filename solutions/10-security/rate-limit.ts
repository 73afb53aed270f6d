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
    if (bucket) {
      buckets.delete(source);
    } else {
      // A new address starts with a full bucket: its first requests pass.
      bucket = { tokens: burst, updated: now };
    }
    buckets.set(source, bucket);
    if (buckets.size > maxSources) {
      const oldest = buckets.keys().next().value!;
      buckets.delete(oldest);
    }
    return bucket;
  }

  return {
    allow(source, now) {
      const bucket = bucketOf(source, now);
      // Refill for the time since the last request, but never beyond the
      // brim: an address quiet for an hour gets `burst`, not 3,600 × rate.
      const elapsed = (now - bucket.updated) / 1000;
      bucket.tokens = Math.min(burst, bucket.tokens + elapsed * rate);
      bucket.updated = now;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    get size() {
      return buckets.size;
    },
  };
}
