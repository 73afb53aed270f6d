import { lessonCommand } from '../lesson-command.ts';
import { needTerminal } from '../runner-context.ts';

export const demoCommand = lessonCommand({
  name: 'demo',
  summary: "run a lesson's demo server and send it datagrams",
  flags: { serve: { help: 'only the server, until Ctrl+C (needs no terminal)' } },
  async run(ctx, lesson, { serve }) {
    if (!serve) needTerminal(ctx, 'The interactive demo', `Run only the server, until Ctrl+C, with \`npm start -- demo ${lesson.number} --serve\`.`);
    await (await import('../../runner/demo.ts')).demoAction(ctx, lesson, { serveOnly: serve });
  },
});
