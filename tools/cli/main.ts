// `npm start -- <command> [args]`: finds the command, runs it, and turns expected errors into
// one line and an exit code. Returns the exit code; never calls process.exit (STYLE 6).

import { commandTable, loadCommands } from './commands/index.ts';
import { UsageError } from '../term/usage-error.ts';
import { writeLine, type Io } from '../term/io.ts';
import { makeStyle } from '../term/style.ts';
import { HelpRequest } from './flags.ts';
import { findCommand } from './find-command.ts';
import { commandHelp, commandList } from './help.ts';
import { runnerContext } from './runner-context.ts';
import { isPromptExit, TITLE } from '../runner/context.ts';

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...args] = argv;
  try {
    if (first === undefined) return await start(io);
    const command = await findCommand(commandTable, first === '--help' || first === '-h' ? 'help' : first).load();
    try {
      return await command.run(args, io);
    } catch (err) {
      if (!(err instanceof HelpRequest)) throw err;
      for (const line of commandHelp(command, makeStyle(io.color))) writeLine(io.stdout, line);
      return 0;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      writeLine(io.stderr, err.message);
      return err.exitCode;
    }
    // Ctrl+C in a prompt, or the process told to stop: leave quietly, on a fresh line.
    if (isPromptExit(err) || (io.signal.aborted && err === io.signal.reason)) {
      writeLine(io.stdout);
      return 130;
    }
    throw err;
  }
}

/** `npm start` with no command: the menu in a terminal; otherwise the list and how to go on. */
async function start(io: Io): Promise<number> {
  const ctx = await runnerContext(io);
  if (ctx.prompts) return (await import('../runner/menu.ts')).menu(ctx, ctx.prompts);
  const st = makeStyle(io.color);
  writeLine(io.stdout, st.bold(`${TITLE}.`));
  // A terminal, but CI is set: say why there is no menu, or the learner is left guessing.
  if (io.stdin.isTTY && io.stdout.isTTY && io.env.CI) {
    writeLine(io.stdout, st.dim(`CI is set (CI=${io.env.CI}), so the menu is off: nothing waits for input. Unset it for the menu: \`env -u CI npm start\`.`));
  }
  writeLine(io.stdout);
  await (await findCommand(commandTable, 'list').load()).run([], io);
  writeLine(io.stdout);
  commandList(await loadCommands(), st).forEach((line) => writeLine(io.stdout, line));
  return 0;
}
