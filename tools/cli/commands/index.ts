// The command table: `npm start -- <name> ...`. Add a command by adding it here. Each command's
// module is loaded when it runs (or when help lists it), so that `check` does not first load
// the proxy, the send tool and the rest: by name only, in the order help lists them.
import type { Command } from '../command.ts';

export interface CommandEntry {
  name: string;
  load: () => Promise<Command>;
}

export const commandTable: readonly CommandEntry[] = [
  { name: 'list', load: async () => (await import('./list.ts')).listCommand },
  { name: 'lesson', load: async () => (await import('./lesson.ts')).lessonCommand },
  { name: 'demo', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'open', load: async () => (await import('./open.ts')).openCommand },
  { name: 'check', load: async () => (await import('./check.ts')).checkCommand },
  { name: 'watch', load: async () => (await import('./watch.ts')).watchCommand },
  { name: 'hint', load: async () => (await import('./hint.ts')).hintCommand },
  { name: 'solution', load: async () => (await import('./solution.ts')).solutionCommand },
  { name: 'quiz', load: async () => (await import('./quiz.ts')).quizCommand },
  { name: 'reset', load: async () => (await import('./reset.ts')).resetCommand },
  { name: 'progress', load: async () => (await import('./progress.ts')).progressCommand },
  { name: 'grade', load: async () => (await import('./grade.ts')).gradeCommand },
  { name: 'doctor', load: async () => (await import('./doctor.ts')).doctorCommand },
  { name: 'send', load: async () => (await import('./send.ts')).sendCommand },
  { name: 'proxy', load: async () => (await import('./proxy.ts')).proxyCommand },
  { name: 'help', load: async () => (await import('./help.ts')).helpCommand(loadCommands) },
];

/** Every command, loaded, in the table's order. */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(commandTable.map((entry) => entry.load()));
}
