// Every socket and process the harness creates is registered here, so that a test that fails
// half-way still leaves nothing behind. test/setup.ts closes what a test opened after each test
// ('test' scope) and what a file shared between its tests after the file ('file' scope).

import { AsyncLocalStorage } from 'node:async_hooks';

type Closer = () => Promise<void> | void;
export type Scope = 'test' | 'file';

const open = new Map<Closer, Scope>();
const ambient = new AsyncLocalStorage<Scope>();

/**
 * Runs `fn` with `scope` as the scope of whatever it opens without naming one, however deep:
 * a check's work started before the check (support/server-checks.ts, Early) opens its sockets
 * for the file, so that the check running at that moment does not close them when it ends.
 */
export function inScope<T>(scope: Scope, fn: () => T): T {
  return ambient.run(scope, fn);
}

/** Registers a closer ('test' scope unless inScope says otherwise); returns a function that closes it now and forgets it. */
export function track(close: Closer, scope: Scope = ambient.getStore() ?? 'test'): () => Promise<void> {
  let done = false;
  const closeOnce = async () => {
    if (done) return;
    done = true;
    open.delete(closeOnce);
    await close();
  };
  open.set(closeOnce, scope);
  return closeOnce;
}

/** Closes everything of that scope (or of both). */
export async function cleanupAll(scope?: Scope): Promise<void> {
  const closers = [...open].filter(([, s]) => scope === undefined || s === scope).map(([close]) => close);
  await Promise.allSettled(closers.map((close) => close()));
}

export function openResources(): number {
  return open.size;
}
