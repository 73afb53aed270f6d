// `npm start -- <command> [args]`: finds the command, runs it, and turns expected errors into
// one line and an exit code. Returns the exit code; never calls process.exit (STYLE 6).

import { commands } from './commands/index.ts';
import { UsageError, writeLine, type Command, type Io } from './io.ts';
import { listCommand } from './commands/list.ts';
import { makeStyle } from './style.ts';

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined) return await start(io);
    if (name === 'help' || name === '--help' || name === '-h') return help(io);
    const command = commands.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(`Unknown command "${name}". Run \`npm start -- help\` to see the commands.`);
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      writeLine(io.stderr, err.message);
      return err.exitCode;
    }
    if (err instanceof Error && err.name === 'ExitPromptError') return 130; // Ctrl+C in a prompt
    throw err;
  }
}

/** `npm start` with no command: the menu in a terminal; otherwise the list and how to go on. */
async function start(io: Io): Promise<number> {
  const st = makeStyle(io.color);
  writeLine(io.stdout, st.bold('The UDP workbook: build UDP servers in TypeScript, one lab at a time.'));
  writeLine(io.stdout);
  await listCommand.run([], io);
  writeLine(io.stdout);
  helpLines(io, commands).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

function help(io: Io): number {
  writeLine(io.stdout, 'Usage: npm start -- <command> [NN]   (NN is a lesson number, e.g. 02, or its name, e.g. 02-basic-server)');
  writeLine(io.stdout);
  helpLines(io, commands).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

function helpLines(io: Io, list: readonly Command[]): string[] {
  const st = makeStyle(io.color);
  const width = Math.max(...list.map((c) => c.usage.length));
  return [
    'Commands:',
    ...list.map((c) => `  ${st.code(`npm start -- ${c.usage.padEnd(width)}`)}  ${c.summary}`),
    `  ${st.code(`npm start -- ${'help'.padEnd(width)}`)}  this list`,
  ];
}
