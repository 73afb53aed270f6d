import { lessonCommand } from '../lesson-command.ts';
import { needTerminal } from '../runner-context.ts';
import { lessonsAfter } from '../../workbook/state.ts';

export const watchCommand = lessonCommand({
  name: 'watch',
  summary: 'check your lab again every time you save',
  async run(ctx, lesson) {
    const prompts = needTerminal(ctx, 'Watch', `Check once with \`npm start -- check ${lesson.number}\`.`);
    const exit = await (await import('../../runner/watch.ts')).watchAction(ctx, lesson);
    const [next] = lessonsAfter(ctx.wb.lessons, lesson);
    return exit === 'next' && next ? (await import('../../runner/menu.ts')).menu(ctx, prompts, next) : 0;
  },
});
