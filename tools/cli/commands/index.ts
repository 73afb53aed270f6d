// The command table: `npm start -- <name> ...`. Add a command by adding it here.
import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { gradeCommand } from './grade.ts';
import { helpCommand } from './help.ts';
import { hintCommand } from './hint.ts';
import { lessonCommand } from './lesson.ts';
import { listCommand } from './list.ts';
import { openCommand } from './open.ts';
import { progressCommand } from './progress.ts';
import { proxyCommand } from './proxy.ts';
import { quizCommand } from './quiz.ts';
import { resetCommand } from './reset.ts';
import { sendCommand } from './send.ts';
import { solutionCommand } from './solution.ts';
import { watchCommand } from './watch.ts';

export const commands: Command[] = [
  listCommand,
  lessonCommand,
  demoCommand,
  openCommand,
  checkCommand,
  watchCommand,
  hintCommand,
  solutionCommand,
  quizCommand,
  resetCommand,
  progressCommand,
  gradeCommand,
  doctorCommand,
  sendCommand,
  proxyCommand,
  helpCommand(() => commands),
];
