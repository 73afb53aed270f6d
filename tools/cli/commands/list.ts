import { writeLine } from '../../term/io.ts';
import { defineCommand } from '../command.ts';
import { openWorkbook } from '../../workbook/context.ts';
import { lessonLine, progressBar } from '../../workbook/state.ts';

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list the lessons, with your progress',
  async run(_, io) {
    const { lessons, store, st } = openWorkbook(io);
    const progress = store.read();
    for (const lesson of lessons) writeLine(io.stdout, `  ${lessonLine(lesson, lessons, progress, st)}  ${st.dim(lesson.slug)}`);
    writeLine(io.stdout, `  ${progressBar(lessons, progress, st, 60)}`);
    return 0;
  },
});
