import { discoverLessons } from '../../course/lessons.ts';
import { makeStyle } from '../style.ts';
import { writeLine, type Command } from '../io.ts';

export const listCommand: Command = {
  name: 'list',
  summary: 'list the lessons',
  usage: 'list',
  async run(_args, io) {
    const st = makeStyle(io.color);
    for (const lesson of discoverLessons(io.root)) {
      writeLine(io.stdout, `  ${st.accent(lesson.number)}  ${lesson.title}  ${st.dim(lesson.slug)}`);
    }
    return 0;
  },
};
