// "Open the lab": which editor to start, and starting it without ever hanging the workbook.
// $VISUAL, then $EDITOR (a terminal editor such as vim or nano: the workbook waits for it to
// close); otherwise VS Code's `code` command if it is on the PATH (it returns at once).
//
// npm puts EDITOR=vi into every script's environment when the user has no EDITOR of their own,
// so under `npm start` an EDITOR of "vi" with no VISUAL is most likely npm's, not the learner's:
// then `code` comes first, if it is installed (set VISUAL=vi to keep vi).

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface EditorChoice {
  /** A shell command line from $VISUAL/$EDITOR, or the path of `code`. */
  command: string;
  /** Where it came from, for the message. */
  source: 'VISUAL' | 'EDITOR' | 'code';
  /** Terminal editors take over the terminal until they exit; `code` returns at once. */
  wait: boolean;
}

export function chooseEditor(env: NodeJS.ProcessEnv): EditorChoice | undefined {
  const code = findOnPath('code', env.PATH ?? '');
  const npmDefault = env.npm_lifecycle_event !== undefined && env.EDITOR?.trim() === 'vi' && !env.VISUAL?.trim();
  if (npmDefault && code) return { command: code, source: 'code', wait: false };
  for (const source of ['VISUAL', 'EDITOR'] as const) {
    const command = env[source]?.trim();
    if (command) return { command, source, wait: true };
  }
  return code ? { command: code, source: 'code', wait: false } : undefined;
}

export function findOnPath(name: string, PATH: string): string | undefined {
  for (const dir of PATH.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Starts the editor on the files. Resolves with undefined once a terminal editor exits or `code`
 * has been started, or with a one-line reason if it could not be started.
 */
export function openInEditor(editor: EditorChoice, files: readonly string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    // $EDITOR may carry flags ("code --wait", "emacs -nw"): let the shell split it, and pass the
    // files as separate arguments so that no path is ever parsed by the shell.
    const child = editor.source === 'code'
      ? spawn(editor.command, ['--reuse-window', ...files], { stdio: 'ignore', detached: true, env })
      : spawn('/bin/sh', ['-c', `${editor.command} "$@"`, 'editor', ...files], { stdio: 'inherit', env });
    child.once('error', (err) => resolve(`Could not start ${editor.command} ($${editor.source}): ${err.message}`));
    if (!editor.wait) {
      child.once('spawn', () => {
        child.unref();
        resolve(undefined);
      });
      return;
    }
    child.once('exit', (code) =>
      resolve(
        code === 0 || code === null
          ? undefined
          : code === 127
            ? `${editor.command} is not installed (it is your $${editor.source}): install it, or set $${editor.source} to an editor you have.`
            : `${editor.command} exited with code ${code}.`,
      ),
    );
  });
}
