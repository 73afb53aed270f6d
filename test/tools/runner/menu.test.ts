// The menu and the lesson screen, driven through inquirer with a fake terminal (the quiz: quiz.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../tools/cli/main.ts';
import { UdpClient } from '../../../tools/harness/index.ts';
import { pagesOf } from '../../../tools/runner/read.ts';
import { discoverLessons } from '../../../tools/course/lessons.ts';
import { FileProgressStore, record } from '../../../tools/progress/store.ts';
import { KEY, fakeTerminal } from './fake-terminal.ts';

const lessons = discoverLessons();
let state = '';
afterEach(() => rmSync(state, { recursive: true, force: true }));

function workbookWith(passed: string[], size?: { columns: number; rows: number }) {
  state = mkdtempSync(path.join(tmpdir(), 'menu-'));
  const store = new FileProgressStore(state, () => {});
  for (const slug of passed) store.update(record.attempt(slug, true));
  return { term: fakeTerminal({ WORKBOOK_STATE_DIR: state }, size), store };
}

describe('the menu', () => {
  it('shows the title, the progress bar and each lesson with its mark, the next one preselected', async () => {
    const { term } = workbookWith([lessons[0]!.slug]);
    const exit = main([], term.io);
    await term.waitFor('Choose a lesson');
    const screen = term.screen();
    expect(screen).toContain('The UDP workbook');
    expect(screen).toContain(`1 of ${lessons.length} labs passed`);
    expect(screen).toContain(`✔ 01  ${lessons[0]!.title}`);
    expect(screen).toMatch(new RegExp(`❯ ▸ 02  ${lessons[1]!.title}`));
    for (const l of lessons.slice(2)) expect(screen).toContain(`· ${l.number}  ${l.title}`);
    term.type('q'); // jumps to "Quit"
    term.type(KEY.enter);
    expect(await exit).toBe(0);
  });

  it('opens a lesson, shows the next hint and remembers it was seen', async () => {
    const { term, store } = workbookWith([]);
    const exit = main([], term.io);
    await term.waitFor('Choose a lesson');
    term.type(KEY.enter); // lesson 01, preselected
    await term.waitFor('What next?');
    term.mark();
    term.type('h'); // "Hint (0 of N seen)"
    term.type(KEY.enter);
    await term.waitFor(/Hint 1 of \d+/);
    await term.waitFor('What next?');
    expect(store.read().labs[lessons[0]!.slug]?.hintsSeen).toBe(1);
    term.mark();
    term.type(KEY.ctrlC);
    expect(await exit).toBe(130);
    expect(term.screen()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reads a lesson step by step, forward and back', async () => {
    const { term } = workbookWith([], { columns: 80, rows: 500 }); // tall enough for a whole step
    const exit = main(['lesson', '02'], term.io);
    await term.waitFor(/step 1 of[^]*Go on\?/);
    term.mark();
    term.type(KEY.enter); // Next
    await term.waitFor(/step 2 of[^]*Go on\?/);
    term.mark();
    term.type(KEY.down + KEY.enter); // Previous
    await term.waitFor(/step 1 of[^]*Go on\?/);
    term.type(KEY.ctrlC);
    expect(await exit).toBe(130);
  });
});

describe('the demo', () => {
  it('starts the demo server, sends each typed line, shows the reply and the server log, and stops it', async () => {
    const { term } = workbookWith([]);
    const exit = main(['demo', '02'], term.io);
    await term.waitFor('Ctrl+D or .exit ends.', 15_000);
    const port = /running on 127\.0\.0\.1:(\d+)/.exec(term.screen())?.[1];
    expect(term.screen()).toContain(`echo -n hello | nc -u -w1 127.0.0.1 ${port}`);
    term.type('hello\r');
    await term.waitFor(`← 127.0.0.1:${port}  "Echo: hello" (11 B)`);
    await term.waitFor('server │ Received from 127.0.0.1:');
    term.type('.exit\r');
    expect(await exit).toBe(0);
    expect(term.screen()).toContain('The demo server has stopped.');
    // Nothing holds the demo's port any more: a new socket can bind it.
    const probe = await UdpClient.openAt('127.0.0.1', Number(port));
    await probe.close();
  });
});

describe('reading a long step', () => {
  it('splits a step into pages that fit the terminal, at blank lines where it can', () => {
    const text = Array.from({ length: 40 }, (_, i) => (i % 5 === 4 ? '' : `line ${i}`)).join('\n');
    const pages = pagesOf([{ title: 'One', text }, { title: 'Two', text: 'short' }], 24);
    expect(pages.map((p) => [p.step, p.page, p.pages])).toEqual([[0, 0, 3], [0, 1, 3], [0, 2, 3], [1, 0, 1]]);
    for (const p of pages) expect(p.text.split('\n').length).toBeLessThanOrEqual(24 - 7);
    expect(pages[0]!.text.endsWith('line 13\n')).toBe(true); // cut after the blank line at 14
    expect(pages.slice(0, 3).map((p) => p.text).join('\n')).toBe(text.trimEnd());
  });
});
