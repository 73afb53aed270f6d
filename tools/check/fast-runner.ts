// The fast runner: runs one checker file in this process with the subset of vitest's API that
// subset/ implements, in about a tenth of the time vitest needs to start (it loads vite, bundles
// the config and starts a worker: two seconds before the first check). The file is an ordinary
// vitest file: redirect.mjs hands its `import ... from 'vitest'` to subset/collect.ts, and
// anything it uses beyond the subset throws OutsideSubset, for the caller to run it with vitest.

import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, relativeToRoot } from '../course/paths.ts';
import { cleanupAll } from '../harness/cleanup.ts';
import { setCheckContext, type CheckContext } from '../harness/context.ts';
import { TEST_SETTINGS } from './settings.ts';
import { finishCollecting, OutsideSubset, startCollecting } from './subset/collect.ts';
import { runTree } from './subset/run.ts';
import { toFailure, type CheckResult, type FileResult } from './results.ts';

export interface FastRunOptions {
  context?: CheckContext;
  /** Run only the checks with these names; the others are reported as skipped. */
  only?: readonly string[];
  /** Called as each check starts, with its name. */
  onStart?: (name: string) => void;
  /** Called as each check is done. */
  onCheck?: (check: CheckResult) => void;
}

let registered = false;
let runs = 0;

/** Runs the file; throws OutsideSubset when it needs vitest itself. */
export async function runFast(file: string, options: FastRunOptions = {}): Promise<FileResult> {
  if (!registered) {
    register(new URL('./subset/redirect.mjs', import.meta.url), { data: { testDir: pathToFileURL(path.join(ROOT, 'test')).href + '/' } });
    registered = true;
  }
  setCheckContext({ ...options.context, ...(options.only ? { checks: options.only } : {}) });
  const result: FileResult = { file: relativeToRoot(file), checks: [], errors: [], runner: 'fast' };
  const root = startCollecting(TEST_SETTINGS);
  const run = ++runs;
  try {
    try {
      for (const setup of TEST_SETTINGS.setupFiles) await import(`${pathToFileURL(path.join(ROOT, setup)).href}?run=${run}`);
      // A fresh module each run, so that a watch loop never runs yesterday's checker.
      await import(`${pathToFileURL(file).href}?run=${run}`);
      await finishCollecting();
    } catch (err) {
      const missing = err instanceof SyntaxError && /'vitest' does not provide an export named '(\w+)'/.exec(err.message);
      if (missing) throw new OutsideSubset(`import { ${missing[1]} } from 'vitest'`);
      if (err instanceof OutsideSubset) throw err;
      result.errors.push(toFailure(err));
      return result;
    }
    const { checks, errors } = await runTree(root, { only: options.only, onStart: options.onStart, onCheck: options.onCheck });
    result.checks = checks;
    result.errors = errors;
    return result;
  } finally {
    await cleanupAll();
  }
}
