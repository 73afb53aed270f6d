// Values as a learner types them on the command line: `10%`, `40ms`, `2s`, `1Mbit`, `64kB`.
// Each parser returns the value in the library's unit or throws a UnitError whose message says
// what was expected, with an example.

export class UnitError extends Error {
  override name = 'UnitError';
}

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;

/** `10%` or `10` → 0.1; `0.5%` → 0.005. A bare `0.1` is refused as ambiguous. */
export function parsePercent(text: string): number {
  const m = new RegExp(`^${NUMBER}\\s*(%?)$`).exec(text.trim());
  if (!m) throw new UnitError(`"${text}" is not a percentage: write e.g. 10%.`);
  const value = Number(m[1]);
  if (m[2] === '' && value > 0 && value < 1) throw new UnitError(`"${text}" is ambiguous: write ${value}% or ${value * 100}%.`);
  if (value > 100) throw new UnitError(`"${text}" is over 100%.`);
  return value / 100;
}

/** `40`, `40ms` → 40; `2s` → 2000. */
export function parseMs(text: string): number {
  const m = new RegExp(`^${NUMBER}\\s*(ms|s)?$`, 'i').exec(text.trim());
  if (!m) throw new UnitError(`"${text}" is not a duration: write milliseconds, e.g. 40 or 40ms, or seconds, e.g. 2s.`);
  return Number(m[1]) * (m[2]?.toLowerCase() === 's' ? 1000 : 1);
}

const RATE_UNITS: Record<string, number> = {
  bit: 1 / 8, kbit: 1e3 / 8, mbit: 1e6 / 8, gbit: 1e9 / 8,
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9,
};

/** A rate in bytes per second: `1Mbit`, `500kbit`, `1Mbps`, `64kB`, `2MB` (optionally `/s`); a bare number is bytes. */
export function parseRate(text: string): number {
  const m = new RegExp(`^${NUMBER}\\s*([a-z]*)(?:/s)?$`, 'i').exec(text.trim().replace(/bps$/, 'bit'));
  const unit = m?.[2] === '' ? 1 : RATE_UNITS[m?.[2]?.toLowerCase() ?? ''];
  // B is bytes, bit is bits; a lowercase b alone (kb, Mb) could be either, so it is refused.
  const ambiguous = m !== null && /b$/.test(m[2]!);
  if (!m || unit === undefined || ambiguous || !(Number(m[1]) > 0)) {
    throw new UnitError(`"${text}" is not a rate: write e.g. 1Mbit, 500kbit or 64kB (per second).`);
  }
  return Number(m[1]) * unit;
}

/** A whole number from `min` to `max`. */
export function parseWhole(text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new UnitError(`"${text}" is not a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`);
  }
  return value;
}
