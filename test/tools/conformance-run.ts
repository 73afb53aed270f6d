// Runs the conformance fixtures one way and prints what happened as JSON, for
// conformance.test.ts:   node --import tsx conformance-run.ts fast|vitest <dir> <fixture.ts>...
// `fast` runs each with runChecker (the fast runner, handing to vitest what it must), `vitest`
// with vitest alone. Traces go to <dir>/<fixture>.log.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runChecker } from '../../tools/check/run-checker.ts';
import { runWithVitest } from '../../tools/check/run-checkers.ts';
import type { FileResult } from '../../tools/check/results.ts';

const [mode, dir = '', ...files] = process.argv.slice(2);
process.env.CONFORMANCE_TRACE = dir;
const log = (file: string) => path.join(dir, `${path.basename(file, '.ts')}.log`);
const results: FileResult[] = [];
if (mode === 'fast') {
  for (const file of files) results.push(await runChecker(file, { onFallback: () => rmSync(log(file), { force: true }) }));
} else {
  results.push(...(await runWithVitest(files)));
}
const read = (file: string) => {
  try {
    return readFileSync(log(file), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
console.log(JSON.stringify(files.map((file) => ({ file: path.basename(file), result: results.find((r) => r.file.endsWith(path.basename(file))), trace: read(file) }))));
