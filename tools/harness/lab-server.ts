// One server per checker file, shared by its tests: started on first use, stopped after the
// file. The test during which it ends fails with the crash report, not with a timeout; the next
// test gets a fresh one, so that one bug is reported once, by the check that finds it, and every
// other check still says what it alone finds. A server that never started is not tried again.

import { labPath } from './target.ts';
import { startServer, type ServerProcess, type StartOptions } from './server-process.ts';

export interface LabServerOptions extends Omit<StartOptions, 'file' | 'scope'> {
  /** The entry file in the lab's folder (default server.ts). */
  file?: string;
}

/** Returns a function that resolves with the lesson's running server, starting it the first time. */
export function labServer(slug: string, options: LabServerOptions = {}): () => Promise<ServerProcess> {
  let started: Promise<ServerProcess> | undefined;
  return async () => {
    const current = started;
    if (current) {
      const server = await current.catch(() => undefined);
      // It started, and has ended since: a check before this one ended it (and failed for it).
      if (server?.crashReport() && started === current) started = undefined;
    }
    started ??= startServer({ ...options, file: labPath(slug, options.file ?? 'server.ts'), scope: 'file' });
    return started;
  };
}
