// Every question the workbook asks goes through inquirer, on the Io's streams and with its abort
// signal, so that Ctrl+C ends any prompt and tests can drive prompts through injected streams.

import inquirer from 'inquirer';
import type { Io } from '../term/io.ts';

export interface Choice<T> {
  value: T;
  name: string;
  /** What the answered prompt shows of this choice (default: its name). */
  short?: string;
  /** Shown under the list while this choice is highlighted. */
  description?: string;
  disabled?: boolean | string;
}

export const SEPARATOR = 'separator' as const;

export interface SelectOptions<T> {
  default?: T;
  /** Lines of choices shown at once (inquirer counts lines, not choices). */
  pageSize?: number;
  /** What stands before the question once answered, instead of inquirer's green ✔ (which says nothing about right or wrong). */
  doneMark?: string;
}

export interface Prompts {
  select<T>(message: string, choices: readonly (Choice<T> | typeof SEPARATOR)[], options?: SelectOptions<T>): Promise<T>;
  confirm(message: string, defaultAnswer?: boolean): Promise<boolean>;
}

export function makePrompts(io: Io): Prompts {
  const prompt = inquirer.createPromptModule({ input: io.stdin, output: io.stdout, signal: io.signal });
  const ask = async <T>(question: Record<string, unknown>): Promise<T> => {
    const answers = (await prompt([{ name: 'answer', ...question } as never])) as { answer: T };
    return answers.answer;
  };
  return {
    select: (message, choices, options = {}) =>
      ask({
        type: 'select',
        message,
        loop: false,
        pageSize: options.pageSize ?? Math.min(choices.length, 12),
        default: options.default,
        ...(options.doneMark === undefined ? {} : { theme: { prefix: { done: options.doneMark } } }),
        choices: choices.map((c) => (c === SEPARATOR ? new inquirer.Separator() : c)),
      }),
    confirm: (message, defaultAnswer = false) => ask({ type: 'confirm', message, default: defaultAnswer }),
  };
}
