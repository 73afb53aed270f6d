// How long `npm start` takes until the menu is on the screen, in a real pseudo-terminal: median
// of N runs, next to Node with tsx doing nothing, measured in the same run.
//   node --import tsx bench/menu.ts [runs]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../tools/course/paths.ts';
import { TSX_IMPORT } from '../tools/harness/server-process.ts';
import { inTerminal, median, seconds } from './terminal.ts';

const runs = Number(process.argv[2] ?? 10);
const state = mkdtempSync(path.join(tmpdir(), 'bench-menu-'));
const env = { WORKBOOK_STATE_DIR: state, CI: '' };
const baseline: number[] = [];
const direct: number[] = [];
const viaNpm: number[] = [];

async function untilMenu(command: string): Promise<number> {
  const term = inTerminal(command, env, ROOT);
  try {
    return (await term.waitFor('Choose a lesson')) - term.startedAt;
  } finally {
    await term.close();
  }
}

try {
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['--import', TSX_IMPORT, '-e', '0']);
    baseline.push(performance.now() - t0);
    direct.push(await untilMenu(`${process.execPath} --import tsx tools/bin/workbook.ts`));
    viaNpm.push(await untilMenu('npm start --silent'));
  }
} finally {
  rmSync(state, { recursive: true, force: true });
}
console.log(`node --import tsx, doing nothing (baseline)        median ${seconds(median(baseline))} over ${runs} runs`);
console.log(`node --import tsx tools/bin/workbook.ts → menu     median ${seconds(median(direct))} over ${runs} runs`);
console.log(`npm start → menu (what a learner types)            median ${seconds(median(viaNpm))} over ${runs} runs`);
