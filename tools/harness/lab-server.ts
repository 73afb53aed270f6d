// One server per checker file, shared by its tests: started on first use, stopped after the
// file. A test that finds it crashed fails with the crash report, not with a timeout.

import { labPath } from './target.ts';
import { startServer, type ServerProcess, type StartOptions } from './server-process.ts';

export interface LabServerOptions extends Omit<StartOptions, 'file' | 'scope'> {
  /** The entry file in the lab's folder (default server.ts). */
  file?: string;
}

/** Returns a function that resolves with the lesson's running server, starting it the first time. */
export function labServer(slug: string, options: LabServerOptions = {}): () => Promise<ServerProcess> {
  let started: Promise<ServerProcess> | undefined;
  return () => {
    started ??= startServer({ ...options, file: labPath(slug, options.file ?? 'server.ts'), scope: 'file' });
    return started;
  };
}
