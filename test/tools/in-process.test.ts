// The in-process runner (tools/check/in-process.ts) stands in for vitest when a learner checks a
// lab. It must run a checker exactly as vitest would: same hooks in the same order, the same
// pass, fail and skip, and a learner's stray exception caught as a failed check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TSX_IMPORT } from '../../tools/harness/index.ts';
import type { FileResult } from '../../tools/check/run-checkers.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');

function runInProcess(file: string): { result: FileResult | null; lines: string[] } {
  const out = spawnSync(process.execPath, ['--import', TSX_IMPORT, path.join(fixtures, 'run-in-process.ts'), path.join(fixtures, 'checkers', file)], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = out.stdout.trim().split('\n');
  expect(out.status, out.stderr).toBe(0);
  return { ...(JSON.parse(lines.at(-1)!) as { result: FileResult | null }), lines };
}

describe('in-process checker runner', () => {
  const { result, lines } = runInProcess('sample.ts');
  const state = (name: string) => result?.checks.find((c) => c.name === name);

  it('runs every test in order and reports each state', () => {
    expect(result?.errors).toEqual([]);
    expect(result?.checks.map((c) => [c.name, c.state])).toEqual([
      ['passes', 'passed'],
      ['fails with advice', 'failed'],
      ['fails unexpectedly', 'failed'],
      ['skips itself', 'skipped'],
      ['fails when the code under test throws where nobody awaits', 'failed'],
      ['never runs', 'skipped'],
      ['sees both hooks', 'passed'],
    ]);
  });

  it('keeps a CheckFailure message as advice and marks other errors unexpected', () => {
    expect(state('fails with advice')).toMatchObject({ unexpected: false, message: 'No reply came back.\nhint      Send one.' });
    expect(state('fails unexpectedly')?.unexpected).toBe(true);
    expect(state('fails unexpectedly')?.message).toMatch(/^TypeError: boom/);
    expect(state('fails when the code under test throws where nobody awaits')?.message).toMatch(/^RangeError: escaped/);
  });

  it('runs beforeAll once, and each describe\'s hooks around its own tests only', () => {
    const { calls } = JSON.parse(lines.find((l) => l.startsWith('{"calls"'))!) as { calls: string[] };
    expect(calls[0]).toBe('beforeAll');
    expect(calls).not.toContain('never runs');
    expect(calls.slice(-4)).toEqual(['outer.beforeEach', 'inner.beforeEach', 'inner test', 'outer.afterEach']);
    expect(calls.filter((c) => c === 'outer.beforeEach')).toHaveLength(calls.filter((c) => c === 'outer.afterEach').length);
  });

  it('hands a checker that needs more of vitest back to vitest', () => {
    expect(runInProcess('needs-vitest.ts').result).toBeNull();
  });
});
