import { lessonCommand } from '../lesson-command.ts';

export const openCommand = lessonCommand({
  name: 'open',
  summary: "show your lab's files and open them in your editor",
  run: async (ctx, lesson) => ((await (await import('../../runner/open.ts')).openAction(ctx, lesson)) ? 0 : 1),
});
