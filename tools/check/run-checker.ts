// Runs one checker file: with the fast runner when the file keeps to its subset of vitest's API,
// otherwise with vitest itself. Either way the result is the same data, check by check.

import { OutsideSubset } from './subset/collect.ts';
import { runFast, type FastRunOptions } from './fast-runner.ts';
import { runWithVitest } from './run-checkers.ts';
import type { FileResult } from './results.ts';
import { relativeToRoot } from '../course/paths.ts';

export interface CheckerRunOptions extends FastRunOptions {
  /** Told when the fast runner hands the file to vitest (its checks so far are then forgotten). */
  onFallback?: (feature: string) => void;
}

export async function runChecker(file: string, options: CheckerRunOptions = {}): Promise<FileResult> {
  try {
    return await runFast(file, options);
  } catch (err) {
    if (!(err instanceof OutsideSubset)) throw err;
    options.onFallback?.(err.feature);
    const [result] = await runWithVitest([file], options);
    return {
      ...(result ?? { file: relativeToRoot(file), checks: [], errors: [{ summary: `vitest did not run ${relativeToRoot(file)}.`, unexpected: true }], runner: 'vitest' }),
      fallback: err.feature,
    };
  }
}
