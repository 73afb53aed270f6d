// The part of vitest's API that checkers use — describe, it/test (with ctx.skip), the four
// hooks, and describe.runIf/skipIf — collected for the in-process runner (in-process.ts).
// A checker that imports anything else from 'vitest' fails to load here and is run by vitest.

type Fn = () => unknown;
type TestFn = (ctx: { skip: (note?: string) => never }) => unknown;

export interface Collected {
  tests: { name: string; fn: TestFn; skip: boolean; beforeEach: Fn[]; afterEach: Fn[] }[];
  beforeAll: Fn[];
  afterAll: Fn[];
}

export class SkipSignal extends Error {
  override name = 'SkipSignal';
}

let current: Collected = { tests: [], beforeAll: [], afterAll: [] };
const scopes: { beforeEach: Fn[]; afterEach: Fn[]; skip: boolean }[] = [{ beforeEach: [], afterEach: [], skip: false }];
const scope = () => scopes[scopes.length - 1]!;

/** Starts a fresh collection; returns it once the checker module has been imported. */
export function startCollecting(): Collected {
  current = { tests: [], beforeAll: [], afterAll: [] };
  scopes.length = 1;
  scopes[0] = { beforeEach: [], afterEach: [], skip: false };
  return current;
}

function suite(skip: boolean) {
  return (_name: string, body: () => void) => {
    const outer = scope();
    scopes.push({ beforeEach: [...outer.beforeEach], afterEach: [...outer.afterEach], skip: outer.skip || skip });
    try {
      body();
    } finally {
      scopes.pop();
    }
  };
}

function testFn(skip: boolean) {
  return (name: string, fn: TestFn) => {
    const s = scope();
    current.tests.push({ name, fn, skip: skip || s.skip, beforeEach: [...s.beforeEach], afterEach: [...s.afterEach] });
  };
}

export const describe = Object.assign(suite(false), {
  skip: suite(true),
  runIf: (condition: unknown) => suite(!condition),
  skipIf: (condition: unknown) => suite(Boolean(condition)),
});
export const it = Object.assign(testFn(false), {
  skip: testFn(true),
  runIf: (condition: unknown) => testFn(!condition),
  skipIf: (condition: unknown) => testFn(Boolean(condition)),
});
export const test = it;

export function beforeAll(fn: Fn): void {
  current.beforeAll.push(fn);
}
export function afterAll(fn: Fn): void {
  current.afterAll.push(fn);
}
export function beforeEach(fn: Fn): void {
  scope().beforeEach.push(fn);
}
export function afterEach(fn: Fn): void {
  scope().afterEach.push(fn);
}
