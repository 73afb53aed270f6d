// Randomness for checks that comes from a seed, so that a failing check fails the same way on
// every run and the learner can reproduce it (STYLE 11). The generator is the network tools' own.

import { Random } from '../udp/random.ts';

/** A generator of numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** `length` bytes from the generator. */
export function randomBytes(random: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}
