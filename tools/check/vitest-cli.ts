// Runs test files with vitest's own command line in a child process, for the self-test: its
// counts come from vitest's JSON report, and when something fails, the self-test shows vitest's
// own report of it (the diff, the code frame), as a contributor would see it from `npx vitest`.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../course/paths.ts';

export interface VitestCliResult {
  passed: number;
  failed: number;
  skipped: number;
  files: number;
  /** vitest's default report, for when something failed. */
  output: string;
  /** Set when vitest itself failed (no JSON report). */
  problem?: string;
}

const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

export function runVitestCli(files: readonly string[], options: { namePattern?: string; color?: boolean; env?: NodeJS.ProcessEnv; isolate?: boolean } = {}): Promise<VitestCliResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-vitest-'));
  const json = path.join(dir, 'report.json');
  const args = [VITEST, 'run', '--config', path.join(ROOT, 'vitest.config.ts'), '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...files];
  if (options.namePattern) args.push('--testNamePattern', options.namePattern);
  if (options.isolate === false) args.push('--no-isolate');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, ...(options.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1', FORCE_COLOR: '0' }) },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('close', (code) => {
      try {
        const report = JSON.parse(readFileSync(json, 'utf8')) as {
          numPassedTests: number;
          numFailedTests: number;
          numPendingTests: number;
          numTodoTests: number;
          numTotalTestSuites: number;
          testResults: unknown[];
        };
        const failedFiles = code !== 0 && report.numFailedTests === 0;
        resolve({
          passed: report.numPassedTests,
          failed: report.numFailedTests,
          skipped: report.numPendingTests + report.numTodoTests,
          files: report.testResults.length,
          output,
          ...(failedFiles ? { problem: `vitest exited with code ${code}` } : {}),
        });
      } catch {
        resolve({ passed: 0, failed: 0, skipped: 0, files: 0, output, problem: `vitest exited with code ${code} without a report` });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
