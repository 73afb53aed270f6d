// Runs a collected tree (collect.ts) with vitest 4's semantics, for the subset it implements:
// the same order of hooks (before-hooks outer first, after-hooks inner first and in reverse, as
// vitest's default `sequence.hooks: 'stack'`), the same skipping (a suite whose tests are all
// skipped runs no hooks; a failing beforeAll skips its suite's tests and still runs afterAll),
// the same timeouts (the check fails, its context's signal is aborted, afterEach still runs).
// The conformance suite (test/tools/conformance.test.ts) runs the same fixtures here and under
// vitest and compares what happened, event by event.

import { OutsideSubset, type Hook, type HookName, type SuiteNode, type TestNode } from './collect.ts';
import { toFailure, type CheckResult, type Failure } from '../results.ts';

export interface TreeRunOptions {
  /** Run only the tests with these names (the others are skipped, as vitest's name filter does). */
  only?: readonly string[];
  /** Called as each test starts, with its name. */
  onStart?: (name: string) => void;
  /** Called as each test is done, in order. */
  onCheck?: (check: CheckResult) => void;
}

export interface TreeResult {
  checks: CheckResult[];
  errors: Failure[];
}

class SkipSignal extends Error {
  override name = 'SkipSignal';
  readonly note: string | undefined;
  constructor(note: string | undefined) {
    super('skipped');
    this.note = note;
  }
}

class TimeoutSignal extends Error {
  override name = 'TimeoutError';
}

type Fn = (...args: unknown[]) => unknown;

/** Runs the tree; throws OutsideSubset if the checker uses more of vitest than the subset. */
export async function runTree(root: SuiteNode, options: TreeRunOptions = {}): Promise<TreeResult> {
  const checks: CheckResult[] = [];
  const errors: Failure[] = [];
  let outside: OutsideSubset | undefined;
  /** An OutsideSubset ends the run however the checker handles it (it may catch it). */
  const escalate = (err: unknown) => {
    if (err instanceof OutsideSubset) outside ??= err;
    if (outside) throw outside;
  };
  const report = (check: CheckResult) => {
    checks.push(check);
    options.onCheck?.(check);
  };
  const names = (node: TestNode | SuiteNode): string[] => {
    const out: string[] = [];
    for (let s = node.parent; s?.parent; s = s.parent) out.unshift(s.name);
    return out;
  };
  const skipped = (test: TestNode, note?: string) =>
    report({ name: test.name, suite: names(test), state: 'skipped', durationMs: 0, ...(note ? { note } : {}) });
  /** Reports every test below `suite` that has not run as skipped. */
  const skipAll = (suite: SuiteNode) => {
    for (const child of suite.children) child.type === 'test' ? skipped(child) : skipAll(child);
  };

  interpretModes(root, options.only);
  if (root.children.length === 0) {
    return { checks, errors: [{ summary: 'No test suite found in the file.', unexpected: true }] };
  }
  await runSuite(root);
  if (outside) throw outside;
  return { checks, errors };

  async function runSuite(suite: SuiteNode): Promise<void> {
    if (suite.mode !== 'run') return skipAll(suite);
    const suiteArg = strictArg('suite', { name: suite.name });
    let cleanups: Fn[] = [];
    try {
      try {
        cleanups = await callHooks(suite, 'beforeAll', [suiteArg]);
      } catch (err) {
        escalate(err);
        errors.push(hookFailure(suite, 'beforeAll', err));
        skipAll(suite);
        return;
      }
      for (const child of suite.children) {
        if (child.type === 'test') await runTest(child);
        else await runSuite(child);
      }
    } finally {
      try {
        await callHooks(suite, 'afterAll', [suiteArg]);
        await callCleanups(cleanups);
      } catch (err) {
        escalate(err);
        errors.push(hookFailure(suite, 'afterAll', err));
      }
    }
    if (!hasTests(suite)) errors.push({ summary: `No test found in suite ${suite.name}.`, unexpected: true });
  }

  async function runTest(test: TestNode): Promise<void> {
    if (test.mode !== 'run' || !test.fn) return skipped(test);
    options.onStart?.(test.name);
    const started = performance.now();
    const controller = new AbortController();
    let state = 'run' as 'run' | 'pass' | 'fail';
    let pending = false;
    let note: string | undefined;
    const thrown: unknown[] = [];
    const fail = (err: unknown) => {
      escalate(err);
      if (err instanceof SkipSignal) {
        pending = true;
        note = err.note;
        return;
      }
      state = 'fail';
      thrown.push(err);
    };
    const context = strictArg('ctx', {
      signal: controller.signal,
      task: strictArg('ctx.task', { name: test.name }),
      skip: (condition?: unknown, text?: string) => {
        if (condition === false) return undefined;
        throw new SkipSignal(typeof condition === 'string' ? condition : text);
      },
    });
    const suiteArg = strictArg('suite', { name: test.parent.name });
    let cleanups: Fn[] = [];
    // A test's time running out, or one of its hooks', aborts its context's signal (as vitest does).
    const abort = () => controller.abort(new TimeoutSignal('timed out'));
    try {
      cleanups = await callHooks(test.parent, 'beforeEach', [context, suiteArg], abort);
      const fn = test.fn;
      await withTimeout(() => fn(context), test.timeout, false, abort);
      if (state !== 'fail') state = 'pass';
    } catch (err) {
      fail(err);
    }
    try {
      await callHooks(test.parent, 'afterEach', [context, suiteArg], abort);
      await callCleanups(cleanups);
    } catch (err) {
      fail(err);
    }
    const durationMs = Math.round(performance.now() - started);
    const base = { name: test.name, suite: names(test), durationMs };
    if (pending) report({ ...base, state: 'skipped', ...(note ? { note } : {}) });
    else if (state === 'pass') report({ ...base, state: 'passed' });
    else report({ ...base, state: 'failed', failure: toFailure(thrown[0]) });
  }
}

/** Applies skip, todo and the name filter downwards, then marks suites with nothing to run as skipped. */
function interpretModes(suite: SuiteNode, only: readonly string[] | undefined): void {
  for (const child of suite.children) {
    if (child.type === 'test') {
      if (only && !only.includes(child.name)) child.mode = 'skip';
    } else if (child.mode === 'skip' || child.mode === 'todo') {
      setAll(child, child.mode);
    } else {
      interpretModes(child, only);
    }
  }
  if (suite.mode === 'run' && suite.children.length > 0 && suite.children.every((c) => c.mode !== 'run')) suite.mode = 'skip';
}

function setAll(suite: SuiteNode, mode: 'skip' | 'todo'): void {
  for (const child of suite.children) {
    if (child.mode !== 'run') continue;
    child.mode = mode;
    if (child.type === 'suite') setAll(child, mode);
  }
}

function hasTests(suite: SuiteNode): boolean {
  return suite.children.some((c) => c.type === 'test' || hasTests(c));
}

/** Runs a suite's hooks of one kind as vitest does; returns the teardowns that before-hooks returned. */
async function callHooks(suite: SuiteNode, name: HookName, args: unknown[], onTimeout?: () => void): Promise<Fn[]> {
  const cleanups: Fn[] = [];
  if (name === 'beforeEach' && suite.parent) cleanups.push(...(await callHooks(suite.parent, name, args, onTimeout)));
  const hooks: Hook[] = name === 'afterAll' || name === 'afterEach' ? [...suite.hooks[name]].reverse() : suite.hooks[name];
  for (const hook of hooks) {
    const result = await withTimeout(() => hook.fn(...args), hook.timeout, true, onTimeout);
    if (typeof result === 'function' && (name === 'beforeAll' || name === 'beforeEach')) {
      cleanups.push(() => withTimeout(result as Fn, hook.timeout, true, onTimeout));
    }
  }
  if (name === 'afterEach' && suite.parent) cleanups.push(...(await callHooks(suite.parent, name, args, onTimeout)));
  return cleanups;
}

/** Teardowns run last first. */
async function callCleanups(cleanups: Fn[]): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) await cleanup();
}

/**
 * Calls `fn` and settles with its result, or rejects once `ms` have passed (then also when it
 * finishes late, as vitest does for work that kept the event loop busy past the limit).
 */
function withTimeout(fn: () => unknown, ms: number, isHook: boolean, onTimeout?: () => void): Promise<unknown> {
  if (ms <= 0 || ms === Number.POSITIVE_INFINITY) return Promise.resolve().then(fn);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timedOut = () => {
      clearTimeout(timer);
      onTimeout?.();
      reject(timeoutFailure(isHook, ms));
    };
    const timer = setTimeout(timedOut, ms);
    Promise.resolve()
      .then(fn)
      .then(
        (value) => {
          clearTimeout(timer);
          if (performance.now() - started >= ms) timedOut();
          else resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
  });
}

function timeoutFailure(isHook: boolean, ms: number): Error {
  const err = new TimeoutSignal(
    isHook
      ? `A hook of the checker did not finish within ${ms / 1000} s.`
      : `The check did not finish within ${ms / 1000} s: it waited for something that never came.`,
  );
  err.stack = `${err.name}: ${err.message}`;
  return err;
}

function hookFailure(suite: SuiteNode, hook: HookName, err: unknown): Failure {
  const failure = toFailure(err);
  if (!failure.unexpected) return failure;
  return { ...failure, summary: `${hook}${suite.name ? ` of "${suite.name}"` : ''} failed: ${failure.summary}` };
}

/** A hook or test argument: the properties the subset offers, and OutsideSubset for any other. */
function strictArg<T extends object>(name: string, value: T): T {
  return new Proxy(value, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || key in t || key === 'then' || key === 'toJSON') return Reflect.get(t, key, receiver);
      throw new OutsideSubset(`${name}.${key}`);
    },
  });
}
