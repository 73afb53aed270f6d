import { lessonCommand } from '../lesson-command.ts';

export const solutionCommand = lessonCommand({
  name: 'solution',
  summary: 'compare your lab with the solution',
  flags: '[--yes]',
  options: { yes: { type: 'boolean', short: 'y' } },
  async run(ctx, lesson, { yes }) {
    await (await import('../../runner/solution.ts')).solutionAction(ctx, lesson, yes ?? false);
  },
});
