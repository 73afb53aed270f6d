import { UsageError } from '../term/usage-error.ts';
import type { Command } from './command.ts';
import { closest } from './suggest.ts';

/** The command of that name, or a one-line usage error that suggests the closest one (`chek` → `check`). */
export function findCommand(commands: readonly Command[], name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const guess = closest(name, commands.map((c) => c.name));
  throw new UsageError(`Unknown command "${name}".${guess ? ` Did you mean \`${guess}\`?` : ''} Run \`npm start -- help\` to see the commands.`);
}
