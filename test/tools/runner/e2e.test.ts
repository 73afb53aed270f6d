// End to end, as a learner does it: `npm start` in a real pseudo-terminal (util-linux `script`),
// lesson 02, a check of the starter that fails, the solution put in place, a check that passes,
// and the menu showing the lab done. Progress and the labs live in a temporary folder.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverLessons } from '../../../tools/course/lessons.ts';
import { ROOT } from '../../../tools/course/paths.ts';
import { KEY } from './fake-terminal.ts';

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
const lessons = discoverLessons();

let dir = '';
let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(hasScript)('npm start in a terminal (end to end)', () => {
  it('checks lab 02, fails, passes with the solution, and shows it done in the menu', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'workbook-e2e-'));
    cpSync(path.join(ROOT, 'starters'), path.join(dir, 'labs'), { recursive: true });
    child = spawn('script', ['-qfec', 'npm start --silent', '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, CI: '', WORKBOOK_TARGET: path.join(dir, 'labs'), WORKBOOK_STATE_DIR: path.join(dir, 'state'), COLUMNS: '80', LINES: '24' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let from = 0;
    child.stdout!.on('data', (d: Buffer) => (screen += stripVTControlCharacters(d.toString('utf8'))));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const waitFor = async (text: string, ms = 20_000) => {
      const deadline = Date.now() + ms;
      while (!screen.slice(from).includes(text)) {
        if (Date.now() > deadline) throw new Error(`"${text}" did not appear within ${ms} ms. The screen ends:\n${screen.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      from = screen.indexOf(text, from) + text.length;
    };
    const type = (keys: string) => child!.stdin!.write(keys);

    await waitFor('Choose a lesson');
    type(KEY.down + KEY.enter); // lesson 02
    await waitFor('What next?');
    type('c'); // Check
    type(KEY.enter);
    await waitFor('checks passed. Fix the first ✘');
    await waitFor('What next?');

    cpSync(path.join(ROOT, 'solutions', '02-basic-server'), path.join(dir, 'labs', '02-basic-server'), { recursive: true });
    type(KEY.enter); // Check again: the cursor stays on it
    await waitFor('Lab 02 passed!');
    await waitFor('Well done. What now?');
    type('s' + KEY.enter); // Stay on this lesson
    await waitFor('What next?');
    type('b' + KEY.enter); // Back to the lessons
    await waitFor('Choose a lesson');
    const menu = screen.slice(screen.lastIndexOf('The UDP workbook'));
    expect(menu).toContain(`1 of ${lessons.length} labs passed`);
    expect(menu).toContain(`✔ 02  ${lessons[1]!.title}`);
    type('q' + KEY.enter);
    expect(await exited).toBe(0);
    const progress = JSON.parse(readFileSync(path.join(dir, 'state', 'progress.json'), 'utf8'));
    expect(progress.labs['02-basic-server']).toMatchObject({ passed: true, attempts: 2 });
  }, 90_000);
});
