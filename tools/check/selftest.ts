// `npm test`: proves the whole course is sound, in order —
//   1. the type-check (everything but labs/),
//   2. the tool tests (test/tools),
//   3. every checker against solutions/: every check must pass,
//   4. every checker against the shipped starters/: each must fail at least one check, and only
//      with learner advice (a checker that passes a starter is vacuous; one that crashes is broken),
//   5. the content checks (test/content): course completeness, includes, demos,
//   6. every checker against the known bugs in test/variants/ (each must be caught) and the other
//      correct answers there (each must pass): see variants.ts.
// The last line is "N passed, N failed". labs/ is never graded here.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../course/paths.ts';
import { discoverLessons, type Lesson } from '../course/lessons.ts';
import type { Style } from '../term/style.ts';
import { runCheckers, type FileResult } from './run-checkers.ts';
import { CheckWorker, type CheckJob } from './child.ts';
import { Pool } from './pool.ts';
import { buildVariantTree, describeVariant, judgeVariant, loadVariants } from './variants.ts';

export interface Tally {
  passed: number;
  failed: number;
}

type Print = (line?: string) => void;

/** How many checker runs one child process does in turn (it starts once for all of them). */
const BATCH = 6;

export async function selftest(print: Print, st: Style): Promise<Tally> {
  const tally: Tally = { passed: 0, failed: 0 };
  const pass = (what: string) => {
    tally.passed++;
    print(`  ${st.ok('✔')} ${what}`);
  };
  const fail = (what: string, detail?: string) => {
    tally.failed++;
    print(`  ${st.fail('✘')} ${what}`);
    if (detail) print(detail.replace(/^/gm, '      '));
  };
  /** Every test in the results passes; one line for all that pass, one per failure. */
  const report = (results: FileResult[]) => {
    let passed = 0;
    for (const file of results) {
      for (const error of file.errors) fail(`${file.file}: could not run`, error);
      for (const check of file.checks) {
        if (check.state === 'passed') passed++;
        else if (check.state === 'failed') fail(`${file.file} › ${check.name}`, check.message);
      }
    }
    if (results.length === 0) fail('no test files were found');
    tally.passed += passed;
    print(`  ${st.ok('✔')} ${passed} passed in ${results.length} file${results.length === 1 ? '' : 's'}`);
  };

  // Every checker run (solutions, starters, variants) is queued first, to run while the type-check
  // and the tool tests do, in child processes that each run a few of one lesson's checks in turn,
  // the way a learner's check runs a checker (in-process.ts). Results print in order below.
  const lessons = discoverLessons();
  const scratch = mkdtempSync(path.join(tmpdir(), 'workbook-variants-'));
  // The variant trees live outside the workbook, where no package.json says "type": "module".
  writeFileSync(path.join(scratch, 'package.json'), '{ "type": "module" }\n');
  const queue = new Pool(availableParallelism() + 1);
  const batches = new Map<Lesson, { job: CheckJob; done: (r: FileResult) => void }[]>();
  const check = (lesson: Lesson, job: CheckJob) =>
    new Promise<FileResult>((done) => {
      const list = batches.get(lesson) ?? [];
      batches.set(lesson, list);
      list.push({ job, done });
    });
  try {
    const solutions = lessons.map((lesson) => check(lesson, { target: 'solutions' }));
    const starters = lessons.map((lesson) => check(lesson, { target: 'starters' }));
    const variants = (await loadVariants(lessons, ROOT)).map((variant, i) => {
      let target: string;
      try {
        target = buildVariantTree(variant, path.join(ROOT, 'solutions'), path.join(scratch, String(i)));
      } catch (err) {
        return { variant, outcome: Promise.resolve((err as Error).message) };
      }
      // A bug need only fail the checks it names, so only those run.
      const only = 'fails' in variant.spec ? variant.spec.fails : undefined;
      return { variant, outcome: check(variant.lesson, { target, only }) };
    });
    for (const [lesson, list] of batches) {
      for (let i = 0; i < list.length; i += BATCH) {
        const batch = list.slice(i, i + BATCH);
        void queue.add(async () => {
          const worker = new CheckWorker(lesson);
          const runs = batch.map(({ job, done }) => worker.run(job).then(done));
          worker.close();
          await Promise.all(runs);
        });
      }
    }

    print(st.bold('1. Type-check (tsc --noEmit -p tsconfig.course.json)'));
    const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    const typecheck = await output(process.execPath, [tsc, '--noEmit', '-p', path.join(ROOT, 'tsconfig.course.json')]);
    if (typecheck.code === 0) pass('no type errors');
    else fail('type errors', typecheck.text.trim());

    print(st.bold('2. Tool tests (test/tools)'));
    report(await runCheckers(['test/tools/']));

    print(st.bold('3. Every checker against solutions/: all checks pass'));
    report(await Promise.all(solutions));

    print(st.bold('4. Every checker against the shipped starters/: each fails, with advice'));
    for (const [i, lesson] of lessons.entries()) {
      const result = await starters[i]!;
      const failed = result.checks.filter((c) => c.state === 'failed');
      const crashed = failed.filter((c) => c.unexpected);
      if (result.errors.length > 0) fail(`${lesson.slug}: the checker did not run`, result.errors.join('\n'));
      else if (failed.length === 0) fail(`${lesson.slug}: the starter passes every check — the checker is vacuous`);
      else if (crashed.length > 0) fail(`${lesson.slug}: a check crashed on the starter instead of explaining`, crashed.map((c) => `${c.name}\n${c.message}`).join('\n'));
      else pass(`${lesson.slug}: the starter fails ${failed.length} of ${result.checks.length} checks`);
    }

    print(st.bold('5. Content checks (test/content)'));
    report(await runCheckers(['test/content/']));

    print(st.bold('6. Every checker against known bugs (each caught) and other correct answers (each passes)'));
    for (const { variant, outcome } of variants) {
      const result = await outcome;
      const problem = typeof result === 'string' ? result : judgeVariant(variant.spec, result);
      const name = `${variant.lesson.slug} · ${variant.spec.name}`;
      if (problem) fail(`${name} (${describeVariant(variant)})`, problem);
      else pass(`${name}: ${'fails' in variant.spec ? 'caught' : 'passes'}`);
    }
  } finally {
    await queue.idle();
    rmSync(scratch, { recursive: true, force: true });
  }
  return tally;
}

/** Runs a program to its end (without blocking the checks running meanwhile); its output and code. */
function output(command: string, args: string[]): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('close', (code) => resolve({ code, text }));
  });
}
