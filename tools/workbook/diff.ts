// A unified diff of two small text files (a lab against its solution), from the longest common
// subsequence of their lines. Lab files are a few hundred lines at most, so the quadratic table
// is a few hundred thousand cells: instant, and simpler than Myers.

export type DiffLine = { kind: ' ' | '-' | '+'; text: string };

export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: ' ', text: a[i]! });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) {
      out.push({ kind: '+', text: b[j++]! });
    } else {
      out.push({ kind: '-', text: a[i++]! });
    }
  }
  return out;
}

export interface Hunk {
  /** 1-based start lines and lengths, as in "@@ -aStart,aLen +bStart,bLen @@". */
  aStart: number;
  aLen: number;
  bStart: number;
  bLen: number;
  lines: DiffLine[];
}

/** Groups a diff into hunks with `context` unchanged lines around each change. */
export function hunks(diff: readonly DiffLine[], context = 3): Hunk[] {
  const changed = diff.map((d, k) => (d.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const k of changed) {
    const from = Math.max(0, k - context);
    const to = Math.min(diff.length - 1, k + context);
    const last = ranges.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  // Line numbers at each position of the diff.
  const aAt: number[] = [];
  const bAt: number[] = [];
  let a = 1;
  let b = 1;
  for (const d of diff) {
    aAt.push(a);
    bAt.push(b);
    if (d.kind !== '+') a++;
    if (d.kind !== '-') b++;
  }
  return ranges.map(([from, to]) => {
    const lines = diff.slice(from, to + 1);
    return {
      aStart: aAt[from]!,
      aLen: lines.filter((d) => d.kind !== '+').length,
      bStart: bAt[from]!,
      bLen: lines.filter((d) => d.kind !== '-').length,
      lines,
    };
  });
}
