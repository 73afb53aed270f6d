// `npm run verdicts`: proves "one verdict" on the real checkers, not only on the conformance
// fixtures. For each tree (solutions/ and starters/ by default, or the folders given), it runs
// every checker twice — with vitest itself (`npx vitest run test/checkers`, the tree named by
// WORKBOOK_TARGET) and with the workbook's runner (`grade --target`, the fast runner) — and
// compares the state of every check. It prints each difference and exits 1 if there is any.
// It takes a minute or two per tree, so it is not part of `npm test`; run it after changing the
// runner or the harness.
//   node --import tsx tools/bin/verdicts.ts [TREE ...]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../course/paths.ts';
import type { GradeReport } from '../check/grade-report.ts';
import { TS_IMPORT } from '../harness/index.ts';

const trees = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['solutions', 'starters'];
const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'workbook-verdicts-'));
let differences = 0;

interface VitestJson {
  testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
}

/** vitest's names for a state, in the runner's words. */
const STATE: Record<string, string> = { passed: 'passed', failed: 'failed', skipped: 'skipped', pending: 'skipped', todo: 'skipped' };

try {
  for (const tree of trees) {
    const target = path.resolve(ROOT, tree);
    const json = path.join(dir, `${path.basename(tree)}-vitest.json`);
    const grade = path.join(dir, `${path.basename(tree)}-grade.json`);
    const env = { ...process.env, WORKBOOK_TARGET: target, NO_COLOR: '1' };
    spawnSync(process.execPath, [VITEST, 'run', 'test/checkers', '--reporter=json', `--outputFile=${json}`], { cwd: ROOT, env, stdio: 'ignore' });
    spawnSync(process.execPath, ['--import', TS_IMPORT, path.join(ROOT, 'tools', 'bin', 'workbook.ts'), 'grade', '--target', target, '--json', grade], { cwd: ROOT, env, stdio: 'ignore' });

    const byVitest = new Map<string, string>();
    for (const file of (JSON.parse(readFileSync(json, 'utf8')) as VitestJson).testResults) {
      const lesson = path.basename(file.name).replace(/\.test\.ts$/, '');
      for (const a of file.assertionResults) byVitest.set(`${lesson} › ${a.title}`, STATE[a.status] ?? a.status);
    }
    const byRunner = new Map<string, string>();
    for (const lab of (JSON.parse(readFileSync(grade, 'utf8')) as GradeReport).labs) {
      for (const c of lab.checks) byRunner.set(`${lab.lesson} › ${c.name}`, c.state);
    }
    const names = [...new Set([...byVitest.keys(), ...byRunner.keys()])].sort();
    const differ = names.filter((n) => byVitest.get(n) !== byRunner.get(n));
    for (const n of differ) console.log(`  ✘ ${tree}: ${n}: vitest ${byVitest.get(n) ?? 'no such check'}, the runner ${byRunner.get(n) ?? 'no such check'}`);
    console.log(`${differ.length === 0 ? '✔' : '✘'} ${tree}: ${names.length} checks, ${differ.length} verdict${differ.length === 1 ? '' : 's'} differ`);
    differences += differ.length + (names.length === 0 ? 1 : 0);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = differences === 0 ? 0 : 1;
