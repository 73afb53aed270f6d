// `npm test`: proves the whole course is sound, in order —
//   1. the type-check (everything but labs/),
//   2. the tool tests (test/tools),
//   3. every checker against solutions/: every check must pass,
//   4. every checker against the shipped starters/: each must fail at least one check, and only
//      with learner advice (a checker that passes a starter is vacuous; one that crashes is broken),
//   5. the content checks (test/content): course completeness, includes, demos.
// The last line is "N passed, N failed". labs/ is never graded here.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../course/paths.ts';
import { discoverLessons } from '../course/lessons.ts';
import type { Style } from '../cli/style.ts';
import { runCheckers, type FileResult } from './run-checkers.ts';
import { checkLesson } from './check-lesson.ts';

export interface Tally {
  passed: number;
  failed: number;
}

type Print = (line?: string) => void;

export async function selftest(print: Print, st: Style): Promise<Tally> {
  const tally: Tally = { passed: 0, failed: 0 };
  const pass = (what: string) => {
    tally.passed++;
    return what;
  };
  const fail = (what: string, detail?: string) => {
    tally.failed++;
    print(`  ${st.fail('✘')} ${what}`);
    if (detail) print(detail.replace(/^/gm, '      '));
  };

  print(st.bold('1. Type-check (tsc --noEmit -p tsconfig.course.json)'));
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const typecheck = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(ROOT, 'tsconfig.course.json')], { encoding: 'utf8' });
  if (typecheck.status === 0) print(`  ${st.ok('✔')} ${pass('no type errors')}`);
  else fail('type errors', (typecheck.stdout + typecheck.stderr).trim());

  print(st.bold('2. Tool tests (test/tools)'));
  report(await runCheckers(['test/tools/']));

  // Checkers run the way a learner's `npm start -- check` runs them (in-process.ts), so that what
  // is proved here is what learners get.
  const lessons = discoverLessons();
  const run = async (target: string) => {
    const results: FileResult[] = [];
    for (const lesson of lessons) results.push((await checkLesson(lesson, { target, style: st })).result);
    return results;
  };

  print(st.bold('3. Every checker against solutions/: all checks pass'));
  report(await run('solutions'));

  print(st.bold('4. Every checker against the shipped starters/: each fails, with advice'));
  const starterResults = await run('starters');
  for (const [i, lesson] of lessons.entries()) {
    const result = starterResults[i];
    const failed = result?.checks.filter((c) => c.state === 'failed') ?? [];
    const crashed = failed.filter((c) => c.unexpected);
    if (!result || result.errors.length > 0) fail(`${lesson.slug}: the checker did not run`, result?.errors.join('\n'));
    else if (failed.length === 0) fail(`${lesson.slug}: the starter passes every check — the checker is vacuous`);
    else if (crashed.length > 0) fail(`${lesson.slug}: a check crashed on the starter instead of explaining`, crashed.map((c) => `${c.name}\n${c.message}`).join('\n'));
    else print(`  ${st.ok('✔')} ${pass(`${lesson.slug}: the starter fails ${failed.length} of ${result.checks.length} checks`)}`);
  }

  print(st.bold('5. Content checks (test/content)'));
  report(await runCheckers(['test/content/']));

  return tally;

  function report(results: FileResult[]) {
    let passedHere = 0;
    for (const file of results) {
      for (const error of file.errors) fail(`${file.file}: could not run`, error);
      for (const check of file.checks) {
        if (check.state === 'passed') {
          passedHere++;
          pass(check.name);
        } else if (check.state === 'failed') fail(`${file.file} › ${check.name}`, check.message);
      }
    }
    if (results.length === 0) fail('no test files were found');
    print(`  ${st.ok('✔')} ${passedHere} passed in ${results.length} file${results.length === 1 ? '' : 's'}`);
  }
}
