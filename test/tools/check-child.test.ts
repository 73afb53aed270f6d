// A check run in a child process (tools/check/child.ts) reports its results as data, and when it
// is stopped, by its signal or its time limit, it takes every server it started with it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkInChild } from '../../tools/check/child.ts';
import { findLesson, discoverLessons } from '../../tools/course/lessons.ts';
import { ROOT } from '../../tools/course/paths.ts';

const lesson = findLesson(discoverLessons(), '02')!;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Processes whose command line names `text` (the lab's temporary path). */
function processesWith(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function startedServer(target: string): Promise<void> {
  for (let waited = 0; waited < 10_000 && processesWith(target).length === 0; waited += 50) await new Promise((r) => setTimeout(r, 50));
}

describe('checks in a child process', () => {
  it('returns the results of every check', async () => {
    const result = await checkInChild(lesson, { context: { target: 'solutions' } });
    expect(result.errors).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(3);
    expect(result.checks.every((c) => c.state === 'passed')).toBe(true);
  });

  it('runs only the named checks when asked', async () => {
    const result = await checkInChild(lesson, { context: { target: 'solutions' }, only: ['replies "Echo: hello" to "hello"'] });
    expect(result.checks.filter((c) => c.state === 'passed').map((c) => c.name)).toEqual(['replies "Echo: hello" to "hello"']);
  });

  it.runIf(process.platform === 'linux')('stops, with the servers it started, when its signal aborts', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'child-'));
    cpSync(path.join(ROOT, 'starters'), dir, { recursive: true }); // the starter never answers: a slow check
    const controller = new AbortController();
    const run = checkInChild(lesson, { context: { target: dir }, signal: controller.signal });
    await startedServer(dir);
    expect(processesWith(dir).length).toBeGreaterThan(0);
    controller.abort(new Error('overtaken'));
    await expect(run).rejects.toThrow('overtaken');
    expect(processesWith(dir)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('reports a check that runs out of time, and leaves nothing running', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'child-'));
    cpSync(path.join(ROOT, 'starters'), dir, { recursive: true });
    const result = await checkInChild(lesson, { context: { target: dir }, timeoutMs: 1500 });
    expect(result.errors).toEqual([expect.objectContaining({ summary: expect.stringMatching(/^The checker did not finish within 1\.5 s\./) })]);
    expect(processesWith(dir)).toEqual([]);
  });
});
