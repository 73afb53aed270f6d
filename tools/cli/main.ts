// `npm start -- <command> [args]`: finds the command, runs it, and turns expected errors into
// one line and an exit code. Returns the exit code; never calls process.exit (STYLE 6).

import { commands } from './commands/index.ts';
import { UsageError } from '../term/usage-error.ts';
import { writeLine, type Io } from '../term/io.ts';
import type { Command } from './command.ts';
import { listCommand } from './commands/list.ts';
import { makeStyle } from '../term/style.ts';
import { HelpRequest } from './flags.ts';
import { runnerContext } from './runner-context.ts';
import { isPromptExit, TITLE } from '../runner/context.ts';

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined) return await start(io);
    if (name === 'help' || name === '--help' || name === '-h') return args[0] ? commandHelp(io, find(args[0])) : help(io);
    const command = find(name);
    try {
      return await command.run(args, io);
    } catch (err) {
      if (err instanceof HelpRequest) return commandHelp(io, command);
      throw err;
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
  writeLine(io.stdout);
  await listCommand.run([], io);
  writeLine(io.stdout);
  helpLines(io, commands).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

function find(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`Unknown command "${name}". Run \`npm start -- help\` to see the commands.`);
  return command;
}

function commandHelp(io: Io, command: Command): number {
  const st = makeStyle(io.color);
  writeLine(io.stdout, `Usage: ${st.code(`npm start -- ${command.usage}`)}`);
  writeLine(io.stdout, `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`);
  if (command.usage.includes('<NN>')) writeLine(io.stdout, 'NN is a lesson: its number (02) or its name (02-basic-server).');
  return 0;
}

function help(io: Io): number {
  writeLine(io.stdout, 'Usage: npm start -- <command> [NN]');
  writeLine(io.stdout, 'NN is a lesson: its number (02) or its name (02-basic-server).');
  writeLine(io.stdout);
  helpLines(io, commands).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

/** The commands, one line each, without their flags: `npm start -- help <command>` shows those. */
function helpLines(io: Io, list: readonly Command[]): string[] {
  const st = makeStyle(io.color);
  const short = (c: Command) => c.usage.replace(/\s*(\[|--).*$/, '');
  const width = Math.max(...list.map((c) => short(c).length), 'help [COMMAND]'.length);
  return [
    `Commands, typed after ${st.code('npm start --')} (e.g. ${st.code('npm start -- check 02')}):`,
    ...list.map((c) => `  ${st.code(short(c).padEnd(width))}  ${c.summary}`),
    `  ${st.code('help [COMMAND]'.padEnd(width))}  this list, or one command's flags`,
    'Without a command, in a terminal: the menu.',
  ];
}
