import { UsageError } from '../term/usage-error.ts';
import type { Io } from '../term/io.ts';
import { openWorkbook } from '../workbook/context.ts';
import type { Prompts } from '../runner/prompts.ts';
import type { RunnerContext } from '../runner/context.ts';

/** The workbook, and prompts at a terminal (inquirer is loaded only then). */
export async function runnerContext(io: Io): Promise<RunnerContext> {
  const prompts = io.interactive ? (await import('../runner/prompts.ts')).makePrompts(io) : undefined;
  return { wb: openWorkbook(io), prompts };
}

/** The prompts, or a one-line usage error for a command that cannot work without a terminal. */
export function needTerminal(ctx: RunnerContext, what: string, instead: string): Prompts {
  if (ctx.prompts) return ctx.prompts;
  throw new UsageError(`${what} needs a terminal to type in, and this is not one (or CI is set). ${instead}`);
}
