// Runs test files with vitest itself, in this process, and returns their results as data,
// printing nothing: the tool tests, and any checker that needs more of vitest than the fast
// runner's subset (fast-runner.ts). The report is written by report.ts, and by the self-test.

import path from 'node:path';
// vitest/node takes over a second to load: it is imported only when files run.
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';
import { ROOT } from '../course/paths.ts';
import { contextToEnv, type CheckContext } from '../harness/context.ts';
import { toFailure, type CheckResult, type Failure, type FileResult } from './results.ts';

export interface VitestRunOptions {
  context?: CheckContext;
  /** Run only the tests with these names (vitest's name filter). */
  only?: readonly string[];
  /** Called as each test starts, with its name. */
  onStart?: (name: string) => void;
  /** Called as each test is done. */
  onCheck?: (check: CheckResult) => void;
  /** Where vitest looks for its config (default: the workbook's root). */
  root?: string;
}

export async function runWithVitest(files: readonly string[], options: VitestRunOptions = {}): Promise<FileResult[]> {
  const root = options.root ?? ROOT;
  const collected: FileResult[] = [];
  const reporter: Reporter = {
    onTestCaseReady(test) {
      options.onStart?.(test.name);
    },
    onTestCaseResult(test) {
      options.onCheck?.(toCheckResult(test));
    },
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
      // Exactly these files, whatever vitest.config.ts includes.
      include: files.map((f) => path.relative(root, path.resolve(root, f)).split(path.sep).join('/')),
      reporters: [reporter],
      env: contextToEnv({ ...options.context, ...(options.only ? { checks: options.only } : {}) }),
      ...(options.only ? { testNamePattern: namePattern(options.only) } : {}),
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

/** Matches a test's full name ("suite test") when the test's own name is one of `names`. */
function namePattern(names: readonly string[]): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^| )(?:${names.map(escape).join('|')})$`);
}

function toFileResult(mod: TestModule, root: string): FileResult {
  const checks = [...mod.children.allTests()].map(toCheckResult);
  const errors: Failure[] = [...mod.errors(), ...[...mod.children.allSuites()].flatMap((s: TestSuite) => s.errors())].map(toFailure);
  return { file: path.relative(root, mod.moduleId).split(path.sep).join('/'), checks, errors, runner: 'vitest' };
}

function toCheckResult(test: TestCase): CheckResult {
  const result = test.result();
  const durationMs = Math.round(test.diagnostic()?.duration ?? 0);
  const suite: string[] = [];
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) suite.unshift(parent.name);
  const base = { name: test.name, suite, durationMs };
  if (result.state === 'failed') return { ...base, state: 'failed', failure: toFailure(result.errors[0]) };
  if (result.state === 'passed') return { ...base, state: 'passed' };
  const note = 'note' in result ? result.note : undefined;
  return { ...base, state: 'skipped', ...(note ? { note } : {}) };
}
