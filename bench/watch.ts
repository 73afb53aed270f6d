// How long watch mode takes from a save to the verdict on screen, for lab 02 (the solution, so
// every check runs to the end): median of N saves, in a real pseudo-terminal, next to a one-shot
// `check 02` of the same lab measured in the same run.
//   node --import tsx bench/watch.ts [runs]

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';
import { inTerminal, median, seconds } from './terminal.ts';

const runs = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), 'bench-watch-'));
const labs = path.join(dir, 'labs');
cpSync(path.join(ROOT, 'starters'), labs, { recursive: true });
const lab = path.join(labs, '02-basic-server', 'server.ts');
const solution = readFileSync(path.join(ROOT, 'solutions', '02-basic-server', 'server.ts'), 'utf8');
writeFileSync(lab, solution);
const env = { WORKBOOK_TARGET: labs, WORKBOOK_STATE_DIR: path.join(dir, 'state'), CI: '' };

const term = inTerminal(`${process.execPath} --import tsx tools/bin/workbook.ts watch 02`, env, ROOT);
const oneShot: number[] = [];
const watch: number[] = [];
try {
  await term.waitFor('q quit');
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', TSX_IMPORT, 'tools/bin/workbook.ts', 'check', '02'], { cwd: ROOT, env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`check 02 failed:\n${r.stdout}`);
    oneShot.push(performance.now() - t0);

    const saved = performance.now();
    writeFileSync(lab, `${solution}// save ${i}\n`); // a real change, so watch checks again
    watch.push((await term.waitFor(' checks passed.')) - saved);
    await term.waitFor('q quit');
  }
} finally {
  await term.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`check 02, one shot (baseline)            median ${seconds(median(oneShot))} over ${runs} runs`);
console.log(`watch 02, from a save to the verdict     median ${seconds(median(watch))} over ${runs} saves`);
