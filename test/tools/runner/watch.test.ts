// Watch mode, with a fake terminal and a temporary copy of the labs: a save re-checks, a save
// made by renaming a new file over the old one (vim, JetBrains "safe write") re-checks, quick
// saves are gathered, a run overtaken by a save is dropped, and reading or touching a file
// re-checks nothing.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../tools/cli/main.ts';
import { ROOT } from '../../../tools/course/paths.ts';
import { KEY, fakeTerminal, type FakeTerminal } from './fake-terminal.ts';

let dir = '';
let term: FakeTerminal;
let exit: Promise<number>;
const lab = () => path.join(dir, 'labs', '02-basic-server', 'server.ts');
const solution = readFileSync(path.join(ROOT, 'solutions', '02-basic-server', 'server.ts'), 'utf8');
// A lab that fails fast (its server cannot start), so that each check takes a moment only.
const broken = 'const socket = ;\n';
const count = (text: string) => term.screen().split(text).length - 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'watch-'));
  cpSync(path.join(ROOT, 'starters'), path.join(dir, 'labs'), { recursive: true });
  writeFileSync(lab(), broken);
  term = fakeTerminal({ WORKBOOK_TARGET: path.join(dir, 'labs'), WORKBOOK_STATE_DIR: path.join(dir, 'state') });
  exit = main(['watch', '02'], term.io);
  await term.waitFor('q quit', 30_000); // the first check, at once
});
afterEach(async () => {
  term.type('q');
  await exit;
  rmSync(dir, { recursive: true, force: true });
});

describe('watch', () => {
  it('checks at once, and again when a file is saved by renaming a new one over it', async () => {
    expect(term.screen()).toMatch(/0 of \d+ checks passed/);
    term.mark();
    writeFileSync(`${lab()}.swp`, solution);
    renameSync(`${lab()}.swp`, lab());
    await term.waitFor('Lab 02 passed!', 30_000);
    await term.waitFor('q quit');
  });

  it('gathers quick saves into one check, and drops a check that a later save overtakes', async () => {
    const before = count('— checking…');
    // The starter is slow to check (its server never answers, so each check waits): the save of the
    // solution certainly overtakes that check.
    const starter = readFileSync(path.join(ROOT, 'starters', '02-basic-server', 'server.ts'), 'utf8');
    for (const text of [starter, starter + '\n', starter + '\n\n']) {
      writeFileSync(lab(), text);
      await sleep(10);
    }
    await sleep(400); // the debounce has passed: one check is running
    expect(count('— checking…')).toBe(before + 1);
    term.mark();
    writeFileSync(lab(), solution); // overtakes it
    await term.waitFor('q quit', 30_000);
    expect(term.screen().slice(-3000)).toMatch(/All \d+ checks passed\./);
    expect(term.screen()).not.toMatch(/\b1 of \d+ checks passed/); // the starter's check never reported
  });

  it('does not check again when a file is only read or touched', async () => {
    const before = count('— checking…');
    readFileSync(lab());
    const now = new Date();
    utimesSync(lab(), now, now);
    await sleep(1500); // past the debounce and the stat poll
    expect(count('— checking…')).toBe(before);
  });

  it('goes on to the next lesson on n', async () => {
    term.mark();
    term.type('n');
    await term.waitFor('03 · A complete UDP server');
    await term.waitFor('What next?');
    term.type(KEY.ctrlC);
    expect(await exit).toBe(130);
  });

  it('re-checks on r, and leaves on q', async () => {
    const before = count('— checking…');
    term.type('r');
    await term.waitFor(/checking…[^]*q quit/, 30_000);
    expect(count('— checking…')).toBe(before + 1);
  });
});
