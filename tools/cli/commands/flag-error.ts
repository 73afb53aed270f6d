// Turns a `node:util` parseArgs error into one line that says what to type instead, suggesting the
// closest option when one was misspelt (`--los` → `--loss`).

import { UsageError } from '../../term/usage-error.ts';

export function flagError(err: unknown, known: readonly string[], more: string): UsageError {
  const e = err as NodeJS.ErrnoException;
  const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = closest(flag.replace(/^-+/, ''), known);
      return new UsageError(`Unknown option ${flag}.${guess ? ` Did you mean --${guess}?` : ''} ${more}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return e.message.includes('does not take an argument')
        ? new UsageError(`${flag.split('=')[0]} takes no value. ${more}`)
        : new UsageError(`${flag} needs a value, e.g. ${flag}=VALUE or ${flag} VALUE. ${more}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`Unexpected argument ${/'([^']*)'/.exec(e.message)?.[0] ?? ''}: every value follows its option. ${more}`);
    default:
      return new UsageError(`${e.message.split('\n')[0]} ${more}`);
  }
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
