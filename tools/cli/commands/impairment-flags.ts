// The proxy's impairment flags as a table: one row per impairment, each usable as `--NAME`
// (both directions), `--up-NAME` (towards the target) or `--down-NAME` (back to the clients).
// The command line's flags, their help and the parsing all come from this table.

import { burstLoss, type Impairments } from '../../net/impairments.ts';
import { parseMs, parsePercent, parseRate, parseWhole } from '../../net/units.ts';
import type { Flag as CliFlag, Flags } from '../flags.ts';

/** What the flags of one direction say, before the burst and outage pairs are combined. */
interface Draft extends Impairments {
  burstAverage?: number;
  burstLength?: number;
}

interface Flag extends CliFlag {
  apply(draft: Draft, text: string): void;
}

export const IMPAIRMENT_FLAGS: Record<string, Flag> = {
  loss: { value: 'P%', help: 'lose P% of datagrams, at random', apply: (d, v) => (d.loss = parsePercent(v)) },
  'burst-loss': { value: 'P%', help: 'lose about P% in bursts (Gilbert–Elliott)', apply: (d, v) => (d.burstAverage = parsePercent(v)) },
  'burst-length': { value: 'N', help: 'mean burst length, in datagrams (default 3)', apply: (d, v) => (d.burstLength = parseWhole(v, 1, 1000)) },
  delay: { value: 'MS', help: 'delay every datagram by MS', apply: (d, v) => (d.delayMs = parseMs(v)) },
  jitter: { value: 'MS', help: 'vary the delay by ± MS, keeping order', apply: (d, v) => (d.jitterMs = parseMs(v)) },
  'jitter-reorders': { help: 'let jitter reorder datagrams', apply: (d) => (d.jitterReorders = true) },
  reorder: { value: 'P%', help: 'hold back P% until the next one has passed', apply: (d, v) => (d.reorder = parsePercent(v)) },
  duplicate: { value: 'P%', help: 'send P% twice', apply: (d, v) => (d.duplicate = parsePercent(v)) },
  corrupt: { value: 'P%', help: 'flip one byte in P%', apply: (d, v) => (d.corrupt = parsePercent(v)) },
  rate: { value: 'RATE', help: 'limit the rate, e.g. 1Mbit or 64kB (per second)', apply: (d, v) => (d.rate = parseRate(v)) },
  queue: { value: 'N', help: 'datagrams that may wait for the rate (default 100)', apply: (d, v) => (d.queue = parseWhole(v, 0, 100_000)) },
  'max-size': { value: 'BYTES', help: 'drop datagrams larger than BYTES', apply: (d, v) => (d.maxSize = parseWhole(v, 0, 65_535)) },
  'outage-every': { value: 'MS', help: 'go down every MS...', apply: (d, v) => (d.outageEveryMs = parseMs(v)) },
  'outage-for': { value: 'MS', help: '...for MS each time', apply: (d, v) => (d.outageMs = parseMs(v)) },
};

export const DIRECTIONS = { '': 'both', 'up-': 'up', 'down-': 'down' } as const;

/** Every impairment flag in every direction; help lists the both-ways ones, and explains --up-NAME and --down-NAME once. */
export function impairmentFlags(): Flags {
  const flags: Record<string, CliFlag> = {};
  for (const prefix of Object.keys(DIRECTIONS)) {
    for (const [name, { value, help }] of Object.entries(IMPAIRMENT_FLAGS)) flags[prefix + name] = { value, help, unlisted: prefix !== '' };
  }
  return flags;
}

/**
 * The impairments the flags ask for, per direction ('both', 'up', 'down'). Throws an Error whose
 * message names the flag and what to type instead.
 */
export function impairmentsFromFlags(values: Record<string, string | boolean | undefined>): Record<'both' | 'up' | 'down', Impairments> {
  const result = { both: {}, up: {}, down: {} } as Record<'both' | 'up' | 'down', Impairments>;
  for (const [prefix, direction] of Object.entries(DIRECTIONS)) {
    const draft: Draft = {};
    for (const [name, flag] of Object.entries(IMPAIRMENT_FLAGS)) {
      const value = values[prefix + name];
      if (value === undefined || value === false) continue;
      try {
        flag.apply(draft, String(value));
      } catch (err) {
        throw new Error(`--${prefix}${name}: ${(err as Error).message}`);
      }
    }
    const { burstAverage, burstLength, ...impairments } = draft;
    if (burstLength !== undefined && burstAverage === undefined) throw new Error(`--${prefix}burst-length needs --${prefix}burst-loss, e.g. --${prefix}burst-loss 5%.`);
    if (burstAverage !== undefined) {
      if (burstAverage >= 1) throw new Error(`--${prefix}burst-loss must be below 100%.`);
      impairments.burst = burstLoss(burstAverage, burstLength ?? 3);
    }
    if ((impairments.outageEveryMs === undefined) !== (impairments.outageMs === undefined)) {
      throw new Error(`--${prefix}outage-every and --${prefix}outage-for go together, e.g. --${prefix}outage-every 2000 --${prefix}outage-for 300.`);
    }
    const { outageEveryMs = 0, outageMs = 0 } = impairments;
    if (outageEveryMs > 0 && outageMs >= outageEveryMs) {
      throw new Error(`--${prefix}outage-for (${outageMs} ms) must be shorter than --${prefix}outage-every (${outageEveryMs} ms).`);
    }
    result[direction] = impairments;
  }
  return result;
}
