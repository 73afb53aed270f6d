import { lessonCommand } from '../lesson-command.ts';
import { needTerminal } from '../runner-context.ts';

export const quizCommand = lessonCommand({
  name: 'quiz',
  summary: "answer a lesson's quiz",
  async run(ctx, lesson) {
    const prompts = needTerminal(ctx, 'The quiz', `Its questions are in lessons/${lesson.slug}/quiz.json.`);
    await (await import('../../runner/quiz.ts')).quizAction(ctx, prompts, lesson);
  },
});
