// What every action of the runner works with: the workbook, and the prompts when a learner is
// at a terminal (undefined otherwise: nothing may wait for input then).

import type { Lesson } from '../course/lessons.ts';
import { UsageError } from '../term/usage-error.ts';
import { terminalWidth } from '../render/width.ts';
import type { Workbook } from '../workbook/context.ts';
import type { Prompts } from './prompts.ts';

export const TITLE = 'The UDP workbook: build UDP servers in TypeScript, one lab at a time';

/** True for the errors inquirer throws when the learner presses Ctrl+C or the signal aborts. */
export function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

export interface RunnerContext {
  wb: Workbook;
  prompts: Prompts | undefined;
}

/** The reading width for this terminal (80 when unknown, at most 100). */
export function readingWidth(ctx: RunnerContext): number {
  return terminalWidth(ctx.wb.io.stdout.columns);
}

/**
 * Asks before doing something the learner may not want: with --yes, the answer is yes; at a
 * terminal, a prompt; otherwise a one-line usage error that says to add --yes.
 */
export async function confirmed(ctx: RunnerContext, question: string, yes: boolean, command: string, lesson: Lesson): Promise<boolean> {
  if (yes) return true;
  if (ctx.prompts) return ctx.prompts.confirm(question, false);
  throw new UsageError(`${question} Not at a terminal, so add --yes: \`npm start -- ${command} ${lesson.number} --yes\`.`);
}
