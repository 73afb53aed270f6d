import { lessonCommand } from '../lesson-command.ts';

export const hintCommand = lessonCommand({
  name: 'hint',
  summary: 'the next hint for a lab',
  run: async (ctx, lesson) => (await import('../../runner/hint.ts')).hintAction(ctx, lesson),
});
