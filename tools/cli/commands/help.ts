// `npm start -- help [COMMAND]`: the commands, one line each; or one command's usage and every
// argument and flag it takes.

import { writeLine } from '../../term/io.ts';
import { makeStyle, type Style } from '../../term/style.ts';
import { defineCommand, type Command } from '../command.ts';
import { commandHelp, commandList } from '../help.ts';
import { findCommand } from '../find-command.ts';

/** The help command for these commands (itself among them). */
export function helpCommand(commands: () => Promise<readonly Command[]>): Command {
  return defineCommand({
    name: 'help',
    summary: "this list, or one command's flags",
    args: [{ name: 'COMMAND', help: 'a command, to show its usage and every flag', what: 'one command', optional: true }],
    async run({ args: [name] }, io) {
      const st = makeStyle(io.color);
      const all = await commands();
      const lines = name === undefined ? generalHelp(all, st) : commandHelp(findCommand(all, name), st);
      for (const line of lines) writeLine(io.stdout, line);
      return 0;
    },
  });
}

function generalHelp(commands: readonly Command[], st: Style): string[] {
  return ['Usage: npm start -- <command> [NN]', 'NN is a lesson: its number (02) or its name (02-basic-server).', '', ...commandList(commands, st)];
}
