// The command table: `npm start -- <name> ...`. Add a command by adding it here.
import type { Command } from '../io.ts';
import { checkCommand } from './check.ts';
import { gradeCommand } from './grade.ts';
import { lessonCommand } from './lesson.ts';
import { listCommand } from './list.ts';
import { proxyCommand } from './proxy.ts';
import { sendCommand } from './send.ts';

export const commands: Command[] = [listCommand, lessonCommand, checkCommand, gradeCommand, sendCommand, proxyCommand];
