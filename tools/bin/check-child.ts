// Runs checkers for each job it is given (see tools/check/child.ts):
//   node --import tsx tools/bin/check-child.ts
// Each line on stdin is a job, {"lesson": "02-basic-server", "context": {"target"?, "server"?},
// "only"?: string[]}; the jobs run one after another. Each check, as it is done, is one line of
// JSON after EVENT_PREFIX; each job's result, one line after RESULT_PREFIX. The process ends when
// stdin does: after the last job, or at once if the process that started it has gone. A signal
// stops the servers the checker started before the process ends.

import { createInterface } from 'node:readline';
import { discoverLessons, findLesson } from '../course/lessons.ts';
import { runLessonChecker } from '../check/check-lesson.ts';
import { EVENT_PREFIX, RESULT_PREFIX, type CheckEvent, type ChildJob } from '../check/child.ts';
import { cleanupAll } from '../harness/cleanup.ts';

const event = (e: CheckEvent) => console.log(EVENT_PREFIX + JSON.stringify(e));
const stop = (code: number) => void cleanupAll().finally(() => process.exit(code));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => stop(143));
process.stdin.once('end', () => stop(0));
// Everything the checkers use is loaded before the first job arrives.
await import('../harness/index.ts');
const lessons = discoverLessons();
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const job = JSON.parse(line) as ChildJob;
  const lesson = findLesson(lessons, job.lesson);
  if (!lesson) {
    console.error(`No lesson "${job.lesson}".`);
    process.exit(2);
  }
  const result = await runLessonChecker(lesson, {
    context: job.context,
    only: job.only,
    onStart: (start) => event({ start }),
    onCheck: (check) => event({ check }),
  });
  console.log(RESULT_PREFIX + JSON.stringify(result));
}
