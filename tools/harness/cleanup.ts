// Every socket and process the harness creates is registered here, so that a test that fails
// half-way still leaves nothing behind. test/setup.ts closes what a test opened after each test
// ('test' scope) and what a file shared between its tests after the file ('file' scope).

type Closer = () => Promise<void> | void;
export type Scope = 'test' | 'file';

const open = new Map<Closer, Scope>();

/** Registers a closer; returns a function that closes it now and forgets it. */
export function track(close: Closer, scope: Scope = 'test'): () => Promise<void> {
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
