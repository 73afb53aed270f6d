// Runs one checker file in this process, without vitest: the learner's `check` then takes about
// a second instead of three (vitest needs ~2 s to load and start a worker). The checker is the
// same file vitest runs; its `import from 'vitest'` is redirected to vitest-shim.ts. If the file
// uses more of vitest than the shim offers, this returns undefined and the caller uses vitest.

import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { cleanupAll } from '../harness/cleanup.ts';
import { ROOT } from '../course/paths.ts';
import type { CheckResult, FileResult } from './run-checkers.ts';
import { SkipSignal, startCollecting } from './vitest-shim.ts';

const TEST_TIMEOUT_MS = 30_000;
let registered = false;
let runs = 0;

export interface InProcessOptions {
  /** Run only the checks with these names; the others are reported as skipped. */
  only?: readonly string[];
}

export async function runCheckerInProcess(
  file: string,
  target: string | undefined,
  options: InProcessOptions = {},
): Promise<FileResult | undefined> {
  if (!registered) {
    register(new URL('./vitest-redirect.mjs', import.meta.url));
    registered = true;
  }
  const previousTarget = process.env.WORKBOOK_TARGET;
  if (target !== undefined) process.env.WORKBOOK_TARGET = target;
  const result: FileResult = { file: path.relative(ROOT, file).split(path.sep).join('/'), checks: [], errors: [] };
  try {
    const collected = startCollecting();
    try {
      // A fresh module each run, so that a watch loop never runs yesterday's checker.
      await import(`${pathToFileURL(file).href}?run=${++runs}`);
    } catch (err) {
      if (err instanceof SyntaxError && /does not provide an export named/.test(err.message)) return undefined;
      result.errors.push(err instanceof Error ? err.message : String(err));
      return result;
    }
    for (const hook of collected.beforeAll) await hook();
    for (const test of collected.tests) {
      const wanted = options.only === undefined || options.only.includes(test.name);
      result.checks.push(wanted ? await runTest(test) : { name: test.name, state: 'skipped', durationMs: 0 });
    }
    for (const hook of collected.afterAll) await hook();
    return result;
  } finally {
    await cleanupAll();
    if (previousTarget === undefined) delete process.env.WORKBOOK_TARGET;
    else process.env.WORKBOOK_TARGET = previousTarget;
  }
}

async function runTest(test: ReturnType<typeof startCollecting>['tests'][number]): Promise<CheckResult> {
  const started = performance.now();
  if (test.skip) return { name: test.name, state: 'skipped', durationMs: 0 };
  // An exception the learner's code throws outside the check's own awaits (an 'error' event
  // nobody listens to, say) fails this check instead of ending the workbook.
  let escaped: ((err: unknown) => void) | undefined;
  const onEscape = (err: unknown) => escaped?.(err);
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        for (const hook of test.beforeEach) await hook();
        await test.fn({
          skip: (note?: string) => {
            throw new SkipSignal(note);
          },
        });
      })(),
      new Promise((_, reject) => {
        escaped = reject;
        timer = setTimeout(() => reject(new Error(`The check did not finish within ${TEST_TIMEOUT_MS / 1000} s.`)), TEST_TIMEOUT_MS);
      }),
    ]);
    return { name: test.name, state: 'passed', durationMs: performance.now() - started };
  } catch (err) {
    const durationMs = performance.now() - started;
    if (err instanceof SkipSignal) return { name: test.name, state: 'skipped', durationMs };
    const e = err instanceof Error ? err : new Error(String(err));
    const unexpected = e.name !== 'CheckFailure';
    const message = unexpected ? [`${e.name}: ${e.message}`, ...(e.stack ?? '').split('\n').slice(1, 6)].join('\n') : e.message;
    return { name: test.name, state: 'failed', message, unexpected, durationMs };
  } finally {
    clearTimeout(timer);
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    for (const hook of test.afterEach) await hook();
    await cleanupAll('test');
  }
}
