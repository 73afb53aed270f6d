// The fast runner must give vitest's verdict, check by check: every fixture in
// fixtures/conformance/ runs under vitest and under the fast runner (runChecker, which hands to
// vitest whatever is outside its subset), and what happened must be the same — the order of every
// hook and test body (each fixture traces them), each test's state, the file's errors, and the
// structured failure of a CheckFailure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TS_IMPORT } from '../../tools/harness/index.ts';
import type { FileResult } from '../../tools/check/results.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'conformance');
const files = readdirSync(fixtures).filter((f) => f.endsWith('.ts') && f !== 'trace.ts').sort();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Outcome {
  file: string;
  result: FileResult | undefined;
  trace: string[];
}

function run(mode: 'fast' | 'vitest'): Map<string, Outcome> {
  const dir = mkdtempSync(path.join(tmpdir(), `conformance-${mode}-`));
  dirs.push(dir);
  const out = execFileSync(process.execPath, ['--import', TS_IMPORT, path.join(import.meta.dirname, 'conformance-run.ts'), mode, dir, ...files.map((f) => path.join(fixtures, f))], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: '1' },
  });
  return new Map((JSON.parse(out.trim().split('\n').at(-1)!) as Outcome[]).map((o) => [o.file, o]));
}

const fast = run('fast');
const vitest = run('vitest');
const states = (o: Outcome | undefined) => o?.result?.checks.map((c) => [...c.suite, c.name, c.state, c.failure?.unexpected ?? false].join(' › '));

describe('the fast runner against vitest', () => {
  it('has a fixture for each part of the subset and for what lies outside it', () => {
    for (const name of ['hooks', 'skips', 'failures', 'timeouts', 'collection', 'outside-only', 'outside-each', 'outside-expect', 'outside-context', 'outside-options']) {
      expect(files).toContain(`${name}.ts`);
    }
  });

  for (const file of files) {
    describe(file, () => {
      it('runs the hooks and tests in the same order', () => {
        expect(fast.get(file)?.trace).toEqual(vitest.get(file)?.trace);
        // A file vitest refuses to collect (.only under CI, a removed signature) traces nothing.
        if (vitest.get(file)?.result?.checks.some((c) => c.state === 'passed')) expect(vitest.get(file)?.trace.length).toBeGreaterThan(0);
      });

      it('gives each test the same state', () => {
        expect(states(fast.get(file))).toEqual(states(vitest.get(file)));
      });

      it('reports the same problems of the file', () => {
        expect(fast.get(file)?.result?.errors.length).toBe(vitest.get(file)?.result?.errors.length);
      });

      it(file.startsWith('outside-') ? 'is handed to vitest' : 'runs in the fast runner', () => {
        expect(fast.get(file)?.result?.runner).toBe(file.startsWith('outside-') ? 'vitest' : 'fast');
      });
    });
  }

  it("keeps a CheckFailure's fields as data, both ways", () => {
    const advice = (o: Outcome | undefined) => o?.result?.checks.find((c) => c.name === 'fails with advice')?.failure;
    const want = { summary: 'No reply came back.', sent: '"hello" (5 B)', log: ['a line'], hint: 'Send one.' };
    expect(advice(fast.get('failures.ts'))).toEqual(want);
    expect(advice(vitest.get('failures.ts'))).toEqual(want);
  });

  it('keeps the note of a skip, both ways', () => {
    const note = (o: Outcome | undefined) => o?.result?.checks.find((c) => c.name === 'skips itself with a note')?.note;
    expect(note(fast.get('skips.ts'))).toBe('not on this machine');
    expect(note(vitest.get('skips.ts'))).toBe('not on this machine');
  });
});
