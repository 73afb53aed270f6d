// Which editor "Open the lab" starts: npm's default EDITOR=vi is told apart from the learner's
// own, VS Code's `code` is preferred over npm's default, and an editor that is not installed is
// reported as such.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEditor, openInEditor } from '../../tools/workbook/editor.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
/** A PATH whose only entry holds a `code` command. */
function pathWithCode(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'editor-'));
  writeFileSync(path.join(dir, 'code'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(dir, 'code'), 0o755);
  return dir;
}

describe('choosing the editor', () => {
  it("prefers `code` to the EDITOR=vi that npm sets when the learner has none", () => {
    const PATH = pathWithCode();
    expect(chooseEditor({ npm_lifecycle_event: 'start', EDITOR: 'vi', PATH })).toMatchObject({ source: 'code', command: path.join(PATH, 'code') });
  });

  it("keeps the learner's own editor: VISUAL, an EDITOR other than vi, or vi outside npm", () => {
    const PATH = pathWithCode();
    expect(chooseEditor({ npm_lifecycle_event: 'start', EDITOR: 'vi', VISUAL: 'vi', PATH })).toMatchObject({ source: 'VISUAL', command: 'vi' });
    expect(chooseEditor({ npm_lifecycle_event: 'start', EDITOR: 'nano', PATH })).toMatchObject({ source: 'EDITOR', command: 'nano' });
    expect(chooseEditor({ EDITOR: 'vi', PATH })).toMatchObject({ source: 'EDITOR', command: 'vi' });
  });

  it('falls back to vi under npm when there is no `code`', () => {
    expect(chooseEditor({ npm_lifecycle_event: 'start', EDITOR: 'vi', PATH: '/nonexistent' })).toMatchObject({ source: 'EDITOR', command: 'vi' });
  });

  it('says so when the editor is not installed', async () => {
    const problem = await openInEditor({ command: 'no-such-editor-xyz', source: 'EDITOR', wait: true }, ['/dev/null'], { PATH: process.env.PATH });
    expect(problem).toBe('no-such-editor-xyz is not installed (it is your $EDITOR): install it, or set $EDITOR to an editor you have.');
  });
});
