import { writeLine } from '../../term/io.ts';
import type { Command } from '../command.ts';
import { parseCommand } from '../flags.ts';
import { openWorkbook } from '../../workbook/context.ts';
import { lessonLine, progressBar } from '../../workbook/state.ts';

export const listCommand: Command = {
  name: 'list',
  summary: 'list the lessons, with your progress',
  usage: 'list',
  async run(args, io) {
    parseCommand(args, 'list', {});
    const { lessons, store, st } = openWorkbook(io);
    const progress = store.read();
    for (const lesson of lessons) writeLine(io.stdout, `  ${lessonLine(lesson, lessons, progress, st)}  ${st.dim(lesson.slug)}`);
    writeLine(io.stdout, `  ${progressBar(lessons, progress, st, 60)}`);
    return 0;
  },
};
