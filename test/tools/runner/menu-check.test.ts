// Check from the lesson menu: the report streams in, the first failure in full and every other
// check on one line, so that it fits above the menu; Ctrl+C stops the check (and the servers it
// started) and hands back to the lesson menu, as in the demo and in watch.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../tools/cli/main.ts';
import { ROOT } from '../../../tools/course/paths.ts';
import { KEY, fakeTerminal } from './fake-terminal.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function labsFrom(tree: 'starters' | 'solutions') {
  dir = mkdtempSync(path.join(tmpdir(), 'menu-check-'));
  cpSync(path.join(ROOT, tree), path.join(dir, 'labs'), { recursive: true });
  return fakeTerminal({ WORKBOOK_TARGET: path.join(dir, 'labs'), WORKBOOK_STATE_DIR: path.join(dir, 'state') }, { columns: 80, rows: 200 });
}

/** Opens lesson 02 from the menu and chooses Check. */
async function checkLesson02(term: ReturnType<typeof fakeTerminal>): Promise<{ exit: Promise<number> }> {
  const exit = main([], term.io);
  await term.waitFor('Choose a lesson');
  term.type(KEY.down); // from 01, preselected, to 02
  term.type(KEY.enter);
  await term.waitFor('What next?');
  term.mark();
  term.type('c'); // Check
  term.type(KEY.enter);
  return { exit }; // (an async function would wait for a promise it returns)
}

describe('check from the lesson menu', () => {
  it('shows the first failure in full and the other failures by name', async () => {
    const term = labsFrom('starters');
    const { exit } = await checkLesson02(term);
    await term.waitFor(/checks passed\./, 20_000);
    // As a terminal shows it: what follows a carriage return overwrites the line (the check in progress).
    const screen = term.screen().split('\n').map((l) => l.slice(l.lastIndexOf('\r') + 1)).join('\n');
    expect(screen.match(/No reply came back\./g)).toHaveLength(1);
    expect(screen).toContain('  ✘ sends exactly one reply per datagram\n');
    expect(screen).toContain('(only the first ✘ in full: npm start -- check 02 shows them all)');
    await term.waitFor('What next?');
    term.interrupt();
    expect(await exit).toBe(130);
  });

  it('stops on Ctrl+C and comes back to the lesson menu, the workbook still running', async () => {
    const term = labsFrom('starters');
    const { exit } = await checkLesson02(term);
    await term.waitFor('✘ replies "Echo: hello" to "hello"', 20_000);
    await term.waitFor('⋯ sends exactly one reply per datagram', 5000);
    term.mark();
    term.interrupt();
    await term.waitFor('Check stopped.');
    await term.waitFor('What next?');
    term.interrupt(); // at the menu, Ctrl+C leaves
    expect(await exit).toBe(130);
  });
});
