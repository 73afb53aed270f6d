import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkLesson } from '../../check/check-lesson.ts';
import { lessonFromArg } from '../lesson-arg.ts';
import { makeStyle } from '../style.ts';
import { UsageError, writeLine, type Command } from '../io.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'check your lab and explain what is wrong',
  usage: 'check <NN>',
  async run(args, io) {
    const { positionals, values } = parseFlags(args);
    const lesson = lessonFromArg(positionals[0], 'check <NN>', io.root);
    const target = values.target ?? io.env.WORKBOOK_TARGET;
    const checked = await checkLesson(lesson, { target, style: makeStyle(io.color) });
    writeLine(io.stdout, checked.report);
    if (values.json) {
      const file = path.resolve(values.json);
      writeFileSync(file, JSON.stringify({ lesson: lesson.slug, ...checked.verdict, checks: checked.result.checks }, null, 2) + '\n');
    }
    return checked.verdict.ok ? 0 : 1;
  },
};

export function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { target: { type: 'string' }, json: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} Run \`npm start -- help\` for the options.`);
  }
}
