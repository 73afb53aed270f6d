import { lessonCommand } from '../lesson-command.ts';

export const resetCommand = lessonCommand({
  name: 'reset',
  summary: 'restore a lab as shipped (yours is backed up)',
  flags: { yes: { short: 'y', help: 'do not ask first (your files are backed up all the same)' } },
  async run(ctx, lesson, { yes }) {
    await (await import('../../runner/reset.ts')).resetAction(ctx, lesson, yes ?? false);
  },
});
