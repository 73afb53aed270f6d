// `npm start -- progress`: where the learner stands, lab by lab.

import { writeLine } from '../../term/io.ts';
import { defineCommand } from '../command.ts';
import { openWorkbook } from '../../workbook/context.ts';
import { loadHints } from '../../workbook/hints.ts';
import { labProgress } from '../../progress/store.ts';
import { lessonLine, nextLesson, progressBar } from '../../workbook/state.ts';

export const progressCommand = defineCommand({
  name: 'progress',
  summary: 'your progress, lab by lab',
  async run(_, io) {
    const { lessons, store, st } = openWorkbook(io);
    const progress = store.read();
    writeLine(io.stdout, progressBar(lessons, progress, st, 60));
    for (const lesson of lessons) {
      const lab = labProgress(progress, lesson.slug);
      const quiz = progress.quizzes[lesson.slug];
      const facts = [
        lab.passed ? `passed ${lab.passedAt?.slice(0, 10) ?? ''}`.trim() : lab.attempts > 0 ? 'not passed yet' : 'not started',
        `${lab.attempts} check${lab.attempts === 1 ? '' : 's'}`,
        `hints ${lab.hintsSeen} of ${loadHints(lesson).length}`,
        quiz ? `quiz ${quiz.best} of ${quiz.of}` : 'quiz not taken',
      ];
      writeLine(io.stdout, `${lessonLine(lesson, lessons, progress, st)}`);
      writeLine(io.stdout, st.dim(`     ${facts.join(' · ')}`));
    }
    const next = nextLesson(lessons, progress);
    writeLine(io.stdout, next ? `Next: ${st.code(`npm start -- lesson ${next.number}`)}` : st.ok('Every lab has passed.'));
    return 0;
  },
});
