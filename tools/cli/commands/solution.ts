import { lessonCommand } from '../lesson-command.ts';

export const solutionCommand = lessonCommand({
  name: 'solution',
  summary: 'compare your lab with the solution',
  flags: { yes: { short: 'y', help: 'do not ask first, even while your lab has not passed' } },
  async run(ctx, lesson, { yes }) {
    await (await import('../../runner/solution.ts')).solutionAction(ctx, lesson, yes ?? false);
  },
});
