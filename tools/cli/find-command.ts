import { UsageError } from '../term/usage-error.ts';
import { closest } from './suggest.ts';

/** The command of that name, or a one-line usage error that suggests the closest one (`chek` → `check`). */
export function findCommand<C extends { name: string }>(commands: readonly C[], name: string): C {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const guess = closest(name, commands.map((c) => c.name));
  throw new UsageError(`Unknown command "${name}".${guess ? ` Did you mean \`${guess}\`?` : ''} Run \`npm start -- help\` to see the commands.`);
}
