// The subset of vitest's API that the fast runner (run.ts) implements, collected into a tree the
// way vitest 4 collects it. A checker imports these from 'vitest' (redirect.mjs sends the import
// here while the fast runner runs it), so the same file runs unchanged under `npx vitest run`.
//
// The subset, and nothing more (see README, "Running checkers"):
//   describe / suite (name, fn), .skip, .todo, .runIf(c), .skipIf(c)
//   it / test (name, fn, timeout?) or (name, { timeout }, fn), .skip, .todo, .runIf(c), .skipIf(c)
//   beforeAll, afterAll, beforeEach, afterEach (fn, timeout?); a before-hook may return its teardown
//   the test context: ctx.skip(note?) / ctx.skip(condition, note?), ctx.signal, ctx.task.name
// Anything else — .only, .each, .for, .concurrent, expect, vi, a describe's options, any other
// property of the context — throws OutsideSubset, and the caller runs the file with vitest itself.

export type HookName = 'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach';
export type Mode = 'run' | 'skip' | 'todo';
type Fn = (...args: unknown[]) => unknown;

export interface Hook {
  fn: Fn;
  timeout: number;
}

export interface TestNode {
  type: 'test';
  name: string;
  mode: Mode;
  fn: Fn | undefined;
  timeout: number;
  parent: SuiteNode;
}

export interface SuiteNode {
  type: 'suite';
  /** '' for the file. */
  name: string;
  mode: Mode;
  parent: SuiteNode | undefined;
  children: (SuiteNode | TestNode)[];
  hooks: Record<HookName, Hook[]>;
  /** The describe body, run once the module has loaded (vitest collects suites lazily, in order). */
  factory: Fn | undefined;
}

/** A feature the fast runner does not implement: the file is handed to vitest. */
export class OutsideSubset extends Error {
  override name = 'OutsideSubset';
  readonly feature: string;
  constructor(feature: string) {
    super(`${feature} is outside the fast runner's subset of vitest`);
    this.feature = feature;
  }
}

export interface Settings {
  testTimeout: number;
  hookTimeout: number;
}

let settings: Settings = { testTimeout: 5000, hookTimeout: 10_000 };
let root: SuiteNode = newSuite('', 'run', undefined, undefined);
let current: SuiteNode = root;
/** Set while tests run: describe and hooks may only be called while collecting. */
let collecting = false;

function newSuite(name: string, mode: Mode, parent: SuiteNode | undefined, factory: Fn | undefined): SuiteNode {
  return { type: 'suite', name, mode, parent, children: [], factory, hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] } };
}

/** Starts collecting a new file; import the setup files and the checker, then call `finishCollecting`. */
export function startCollecting(s: Settings): SuiteNode {
  settings = s;
  root = newSuite('', 'run', undefined, undefined);
  current = root;
  collecting = true;
  return root;
}

/** Runs the describe bodies, depth first in order, as vitest does after the module has loaded. */
export async function finishCollecting(suite: SuiteNode = root): Promise<void> {
  const factory = suite.factory;
  suite.factory = undefined;
  if (factory) {
    const outer = current;
    current = suite;
    try {
      await factory();
    } finally {
      current = outer;
    }
  }
  for (const child of suite.children) if (child.type === 'suite') await finishCollecting(child);
  if (suite === root) collecting = false;
}

function checkCollecting(what: string): void {
  if (!collecting) throw new OutsideSubset(`calling ${what} while tests run`);
}

/** Wraps an API object so that any property the subset lacks throws OutsideSubset. */
function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || key in t) return Reflect.get(t, key, receiver);
      throw new OutsideSubset(`${name}.${key}`);
    },
  });
}

function suiteFn(mode: Mode) {
  return (name: unknown, factory?: unknown, ...rest: unknown[]) => {
    checkCollecting('describe');
    if (typeof name !== 'string' || (factory !== undefined && typeof factory !== 'function') || rest.length > 0) {
      throw new OutsideSubset('describe with options, or a name that is not a string');
    }
    const suiteMode: Mode = mode === 'run' && factory === undefined ? 'todo' : mode;
    current.children.push(newSuite(name, suiteMode, current, factory as Fn | undefined));
  };
}

function testFn(mode: Mode) {
  // vitest 4's signatures: (name, fn?, timeout?) and (name, options, fn?); options after the
  // function were removed in vitest 4 (vitest rejects them, so the subset hands them on).
  return (name: unknown, second?: unknown, third?: unknown) => {
    checkCollecting('it');
    if (typeof name !== 'string') throw new OutsideSubset('a test name that is not a string');
    let fn: unknown;
    let timeout: unknown;
    if (typeof second === 'function' && (third === undefined || typeof third === 'number')) [fn, timeout] = [second, third];
    else if (second === undefined && third === undefined) fn = undefined;
    else if (isTimeoutOnly(second) && (third === undefined || typeof third === 'function')) [fn, timeout] = [third, second.timeout];
    else throw new OutsideSubset('test options other than a timeout, or arguments in another order');
    const testMode: Mode = mode === 'run' && fn === undefined ? 'todo' : mode;
    const ms = typeof timeout === 'number' ? timeout : settings.testTimeout;
    current.children.push({ type: 'test', name, mode: testMode, fn: fn as Fn | undefined, timeout: ms, parent: current });
  };
}

function isTimeoutOnly(value: unknown): value is { timeout: number } {
  return typeof value === 'object' && value !== null && Object.keys(value).join() === 'timeout' && typeof (value as { timeout: unknown }).timeout === 'number';
}

function hook(name: HookName) {
  return (fn: unknown, timeout?: unknown) => {
    checkCollecting(name);
    if (typeof fn !== 'function' || (timeout !== undefined && typeof timeout !== 'number')) {
      throw new OutsideSubset(`${name} with options`);
    }
    current.hooks[name].push({ fn: fn as Fn, timeout: timeout ?? settings.hookTimeout });
  };
}

// Every callable is strict, so that `it.skip.each` or `describe.runIf(x).only` is reported as
// outside the subset instead of failing as "not a function".
const skipSuite = strict('describe.skip', suiteFn('skip'));
const runSuite = strict('describe', suiteFn('run'));
export const describe = strict(
  'describe',
  Object.assign(suiteFn('run'), {
    skip: skipSuite,
    todo: strict('describe.todo', suiteFn('todo')),
    runIf: (condition: unknown) => (condition ? runSuite : skipSuite),
    skipIf: (condition: unknown) => (condition ? skipSuite : runSuite),
  }),
);
export const suite = describe;

const skipTest = strict('it.skip', testFn('skip'));
const runTest = strict('it', testFn('run'));
export const it = strict(
  'it',
  Object.assign(testFn('run'), {
    skip: skipTest,
    todo: strict('it.todo', testFn('todo')),
    runIf: (condition: unknown) => (condition ? runTest : skipTest),
    skipIf: (condition: unknown) => (condition ? skipTest : runTest),
  }),
);
export const test = it;

export const beforeAll = strict('beforeAll', hook('beforeAll'));
export const afterAll = strict('afterAll', hook('afterAll'));
export const beforeEach = strict('beforeEach', hook('beforeEach'));
export const afterEach = strict('afterEach', hook('afterEach'));
