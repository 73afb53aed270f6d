// Run the demo: starts the lesson's demo server on its documented port (another one if that is
// taken), says how to poke it from another terminal, and lets the learner type datagrams at it
// and see each reply with its sender and round-trip time. Stopping leaves nothing running.

import path from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot } from '../course/paths.ts';
import { CheckFailure, formatEndpoint, startServer, type ServerProcess } from '../harness/index.ts';
import { interactiveSession } from '../net/index.ts';
import { readingWidth, type RunnerContext } from './context.ts';
import { wrap } from '../render/wrap.ts';
import { print } from './screen.ts';

export async function demoAction(ctx: RunnerContext, lesson: Lesson, options: { serveOnly?: boolean } = {}): Promise<void> {
  const { wb } = ctx;
  const { io, st } = wb;
  const file = path.join(lesson.dir, 'server.ts');
  let server: ServerProcess;
  try {
    server = await startDemo(file);
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    print(io, st.warn(`The demo server of lesson ${lesson.number} did not start:`));
    print(io, err.message);
    return;
  }
  try {
    const where = formatEndpoint(server.host, server.port);
    const width = readingWidth(ctx);
    print(io, wrap(`${st.ok('●')} The demo server of lesson ${lesson.number} is running on ${st.bold(where)}: ${relativeToRoot(file)}.`, width).join('\n'));
    print(io, `  From another terminal: ${st.code(`echo -n hello | nc -u -w1 ${server.host} ${server.port}`)}`);
    print(io, `  or: ${st.code(`npm start -- send ${where} hello`)}`);
    const log = (show: (line: string) => void) => server.onLine((line) => show(st.dim(`  server │ ${line}`)));
    if (options.serveOnly || !ctx.prompts) {
      const stop = log((line) => print(io, line));
      await untilAborted(io.signal, server).finally(stop);
    } else {
      await interactiveSession({ address: server.host, port: server.port }, io, { notes: log });
    }
    const crash = server.crashReport();
    if (crash) print(io, st.warn(crash.summary));
  } finally {
    await server.stop();
    print(io, st.dim('The demo server has stopped.'));
  }
}

/** The documented port first; if something else holds it, any free port. */
async function startDemo(file: string): Promise<ServerProcess> {
  try {
    return await startServer({ file, port: null });
  } catch (err) {
    if (!(err instanceof CheckFailure) || !/EADDRINUSE|in use/i.test(err.message)) throw err;
    return startServer({ file, port: 0 });
  }
}

function untilAborted(signal: AbortSignal, server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    void server.exited.then(() => resolve());
  });
}
