// Named networks, after the presets of Chromium's cast `udp_proxy` (perfect, good, wifi, bad, evil):
// a rate-limited queue, random loss, delay with jitter and, for the worst, outages. Each applies
// to both directions. Rates are payload bytes per second; queues count datagrams.

import { burstLoss, type Impairments } from './impairments.ts';

const MBIT = 1_000_000 / 8;

export const PRESETS = {
  /** Nothing happens: the proxy only forwards. */
  perfect: {},
  /** A wired LAN: 50 Mbit/s, 1 ms ± 1 ms, order kept, nothing lost. */
  good: { rate: 50 * MBIT, queue: 1000, delayMs: 1, jitterMs: 1 },
  /** Wi-Fi: 20 Mbit/s, 1 % loss, 5 ms ± 4 ms, order kept. */
  wifi: { rate: 20 * MBIT, queue: 200, loss: 0.01, delayMs: 5, jitterMs: 4 },
  /** A poor mobile link: 5 Mbit/s, 5 % loss partly in bursts, 20 ms ± 15 ms with reordering, a few duplicates. */
  bad: {
    rate: 5 * MBIT,
    queue: 50,
    loss: 0.03,
    burst: burstLoss(0.02, 3),
    delayMs: 20,
    jitterMs: 15,
    jitterReorders: true,
    duplicate: 0.01,
  },
  /** Everything at once: 2 Mbit/s, a short queue, 10 % loss and bursts, 40 ms ± 30 ms reordering, duplicates, corruption, and a 300 ms outage every 2 s. */
  evil: {
    rate: 2 * MBIT,
    queue: 8,
    loss: 0.1,
    burst: burstLoss(0.05, 4),
    delayMs: 40,
    jitterMs: 30,
    jitterReorders: true,
    reorder: 0.05,
    duplicate: 0.03,
    corrupt: 0.01,
    outageEveryMs: 2000,
    outageMs: 300,
  },
} as const satisfies Record<string, Impairments>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
