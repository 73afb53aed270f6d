import { lessonCommand } from '../lesson-command.ts';
import { needTerminal } from '../runner-context.ts';
import { lessonsAfter } from '../../workbook/state.ts';
import { serverFlag } from '../server-flag.ts';

export const watchCommand = lessonCommand({
  name: 'watch',
  summary: 'check your lab again every time you save',
  flags: {
    server: { value: 'CMD', help: 'start CMD (any language) instead of server.ts; watch this folder' },
  },
  async run(ctx, lesson, values) {
    const prompts = needTerminal(ctx, 'Watch', `Check once with \`npm start -- check ${lesson.number}\`.`);
    serverFlag(values.server, lesson, ctx.wb.io.root);
    const exit = await (await import('../../runner/watch.ts')).watchAction(ctx, lesson, { server: values.server });
    const [next] = lessonsAfter(ctx.wb.lessons, lesson);
    return exit === 'next' && next ? (await import('../../runner/menu.ts')).menu(ctx, prompts, next) : 0;
  },
});
