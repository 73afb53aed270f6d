// Watch, in the manner of rustlings: the lab is checked at once and again whenever one of its
// files is saved. Saves in quick succession are gathered into one run, and a run that a newer
// save overtakes is stopped. A check runs only when a file's content really changed, so an
// editor or a tool that merely reads or touches a file never starts one. Events come from
// fs.watch on the folder (editors that save by writing a new file and renaming it over the old
// one, such as vim and JetBrains' "safe write", replace the file the folder holds) and from a
// slow stat poll, for file systems that never send events; `r` re-checks by hand.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import type { Lesson } from '../course/lessons.ts';
import { relativeToRoot } from '../course/paths.ts';
import { labProgress } from '../progress/store.ts';
import { progressBar } from '../workbook/state.ts';
import { checkAction } from './check.ts';
import { prepareCheck, type PreparedCheck } from '../check/child.ts';
import type { RunnerContext } from './context.ts';
import { hintAction } from './hint.ts';
import { solutionAction } from './solution.ts';
import { clearScreen, print, screenOf } from './screen.ts';

export const DEBOUNCE_MS = 120;
const POLL_MS = 1000;

export type WatchExit = 'quit' | 'next';

/** The content of every .ts file in the folder (or every file, for --server), as one hash: what "changed" means here. */
export function contentHash(dir: string, all = false): string {
  const hash = createHash('sha256');
  if (!existsSync(dir)) return '';
  for (const name of watchedFiles(dir, all)) {
    hash.update(name).update('\0');
    try {
      hash.update(readFileSync(path.join(dir, name)));
    } catch {
      hash.update('(unreadable)'); // mid-rename: the next event reads it again
    }
  }
  return hash.digest('hex');
}

/** The files whose saves count: the lab's .ts files, or, for --server, every file of the folder. */
function watchedFiles(dir: string, all: boolean): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && (all ? !e.name.startsWith('.') : e.name.endsWith('.ts')))
    .map((e) => e.name)
    .sort();
}

export interface WatchOptions {
  /** A command that stands in for the lab's server.ts; the folder watched is then `dir`, every file of it. */
  server?: string;
  /** The folder to watch for --server (the one the command was typed in). */
  dir?: string;
}

export function watchAction(ctx: RunnerContext, lesson: Lesson, options: WatchOptions = {}): Promise<WatchExit> {
  const { wb } = ctx;
  const { io, st } = wb;
  const foreign = options.server !== undefined;
  const dir = foreign ? (options.dir ?? io.cwd ?? io.root) : path.join(wb.labs, lesson.slug);
  const stdin = io.stdin;

  return new Promise<WatchExit>((resolve, reject) => {
    let lastHash = '';
    let running: AbortController | undefined;
    // The next check's process, started while the learner edits, so that a save finds it ready.
    let prepared: PreparedCheck | undefined;
    const prepare = () => (prepared ??= prepareCheck(lesson, { context: { target: wb.target, server: options.server } }));
    let timer: NodeJS.Timeout | undefined;
    let busy = false; // a hint or the solution is on screen below the report; keys wait
    let finished = false;

    const keysLine = () => {
      const passed = labProgress(wb.store.read(), lesson.slug).passed;
      return st.dim(`h hint · s solution${passed ? '' : ' (asks first)'} · n next lesson · r check now · q quit`);
    };

    const run = async (force: boolean) => {
      const hash = contentHash(dir, foreign);
      if (!force && hash === lastHash) return;
      lastHash = hash;
      running?.abort();
      const controller = new AbortController();
      running = controller;
      clearScreen(io);
      print(io, st.dim(`Watching ${relativeToRoot(dir)}/ — checking…`));
      const ready = prepare();
      prepared = undefined;
      try {
        const { text } = await checkAction(ctx, lesson, { signal: controller.signal, prepared: ready, compact: true });
        if (controller.signal.aborted || finished) return;
        clearScreen(io);
        print(io, text);
        print(io);
        print(io, progressBar(wb.lessons, wb.store.read(), st, Math.min(screenOf(io).width, 60)));
        print(io, st.dim(`Watching ${relativeToRoot(dir)}/: save a file to check again (or press r).`));
        print(io, keysLine());
      } catch (err) {
        if (!controller.signal.aborted) throw err;
      } finally {
        if (running === controller) running = undefined;
        if (!finished && !running) prepare();
      }
    };

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(false).catch(fail), DEBOUNCE_MS);
    };

    let folderWatcher: FSWatcher | undefined;
    try {
      folderWatcher = watch(dir, schedule);
      folderWatcher.on('error', () => {}); // the folder went away; the poll still runs
    } catch {
      // No events here (the folder is missing, or the file system has none): the poll remains.
    }
    const polled = existsSync(dir) ? watchedFiles(dir, foreign).map((n) => path.join(dir, n)) : [];
    for (const file of polled) watchFile(file, { interval: POLL_MS }, schedule);

    const finish = (exit: WatchExit, error?: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      running?.abort();
      prepared?.cancel();
      folderWatcher?.close();
      for (const file of polled) unwatchFile(file, schedule);
      stdin.off('keypress', onKey);
      io.signal.removeEventListener('abort', onAbort);
      stdin.setRawMode?.(false);
      stdin.pause();
      if (error === undefined) resolve(exit);
      else reject(error);
    };
    const fail = (err: unknown) => finish('quit', err);
    const onAbort = () => finish('quit');

    const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      if (busy) return;
      const name = key?.name ?? text;
      if ((key?.ctrl && name === 'c') || name === 'q' || name === 'escape') return finish('quit');
      if (name === 'n') return finish('next');
      if (name === 'r') return void run(true).catch(fail);
      if (name === 'h') {
        print(io);
        hintAction(ctx, lesson);
        print(io, keysLine());
        return;
      }
      if (name === 's') {
        busy = true;
        void showSolution().finally(() => (busy = false));
      }
    };

    // The solution asks first while the lab has not passed: a y/n key, since raw mode is on.
    const showSolution = async () => {
      print(io);
      if (!labProgress(wb.store.read(), lesson.slug).passed) {
        print(io, `Lab ${lesson.number} has not passed yet. Show the solution anyway? ${st.dim('y / n')}`);
        const yes = await nextKey();
        if (yes !== 'y') {
          print(io, keysLine());
          return;
        }
      }
      await solutionAction({ ...ctx, prompts: undefined }, lesson, true);
      print(io, keysLine());
    };
    const nextKey = () =>
      new Promise<string | undefined>((done) => {
        stdin.once('keypress', (text: string | undefined, key: { name?: string } | undefined) => done(key?.name ?? text));
      });

    emitKeypressEvents(stdin);
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('keypress', onKey);
    io.signal.addEventListener('abort', onAbort, { once: true });
    void run(true).catch(fail);
  });
}
