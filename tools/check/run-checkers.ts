// Runs checker files with vitest in this process and returns their results as plain data,
// printing nothing: the report is written by report.ts, for learners, and by the self-test.

import path from 'node:path';
// vitest/node takes over a second to load: it is imported only when checkers run.
import type { TestModule, Reporter, TestCase } from 'vitest/node';
import { ROOT } from '../course/paths.ts';

export interface CheckResult {
  /** The `it(...)` name: what a correct lab does. */
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  /** The failure, written for the learner (a CheckFailure's message), when failed. */
  message?: string;
  /** True when the failure is not a CheckFailure: a bug in the check or an unexpected exception. */
  unexpected?: boolean;
  durationMs: number;
}

export interface FileResult {
  /** The checker or test file, relative to the root. */
  file: string;
  checks: CheckResult[];
  /** Set when the file itself could not run (it failed to load, or a hook failed). */
  errors: string[];
}

export interface RunOptions {
  /** Value for WORKBOOK_TARGET: labs, solutions, starters, or a path. */
  target?: string;
  /** Where vitest looks for its config (default: the workbook's root). */
  root?: string;
}

export async function runCheckers(files: readonly string[], options: RunOptions = {}): Promise<FileResult[]> {
  const root = options.root ?? ROOT;
  const collected: FileResult[] = [];
  const reporter: Reporter = {
    onTestRunEnd(modules) {
      for (const mod of modules) collected.push(toFileResult(mod, root));
    },
  };
  const exitCodeBefore = process.exitCode;
  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest(
    'test',
    {
      root,
      config: path.join(root, 'vitest.config.ts'),
      watch: false,
      reporters: [reporter],
      env: options.target ? { WORKBOOK_TARGET: options.target } : {},
    },
    {},
    {},
  );
  try {
    await vitest.start(files.map((f) => path.resolve(root, f)));
  } finally {
    await vitest.close();
    // vitest marks the whole process as failed when a test fails; a failed check is our data.
    process.exitCode = exitCodeBefore;
  }
  return collected;
}

function toFileResult(mod: TestModule, root: string): FileResult {
  const checks: CheckResult[] = [];
  for (const test of mod.children.allTests()) checks.push(toCheckResult(test));
  const errors = mod.errors().map((e) => e.message ?? String(e));
  return { file: path.relative(root, mod.moduleId).split(path.sep).join('/'), checks, errors };
}

function toCheckResult(test: TestCase): CheckResult {
  const result = test.result();
  const durationMs = test.diagnostic()?.duration ?? 0;
  if (result.state === 'failed') {
    const error = result.errors[0];
    const unexpected = error?.name !== 'CheckFailure';
    const message = unexpected
      ? [`${error?.name ?? 'Error'}: ${error?.message ?? 'unknown error'}`, ...(error?.stack ?? '').split('\n').slice(1, 6)].join('\n')
      : (error?.message ?? '');
    return { name: test.name, state: 'failed', message, unexpected, durationMs };
  }
  return { name: test.name, state: result.state === 'passed' ? 'passed' : 'skipped', durationMs };
}
