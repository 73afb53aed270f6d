// A small seeded pseudo-random generator (mulberry32): every random choice of the network tools,
// and of the checks that need one, comes from here, so that a seed replays a run exactly. Not for
// anything secret.

/** Mixes 32-bit words into one well-spread 32-bit word (the murmur3 finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * An independent generator for one item of one stream, e.g. (seed, direction, datagram number).
   * Deriving one per datagram makes a datagram's fate independent of how many numbers the
   * datagrams before it used.
   */
  static derive(seed: number, ...keys: number[]): Random {
    let h = mix(seed ^ 0x9e3779b9);
    for (const key of keys) h = mix(h ^ Math.imul(key >>> 0, 0x27d4eb2f) ^ (key / 0x100000000) >>> 0);
    return new Random(h);
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** A seed for when none was given: printed, so that the run can be repeated. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}
