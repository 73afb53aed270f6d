// Runs one lesson's checker for each job it is given and prints each result as one JSON line
// (see tools/check/child.ts):
//   node --import tsx tools/bin/check-child.ts <NN-slug>
// Each line on stdin is a job, {"target"?: string, "only"?: string[]}; the jobs run one after
// another, and the process ends when stdin does. Everything the checkers use is loaded before
// the first job arrives. SIGTERM stops the servers the checker started before the process ends.

import { createInterface } from 'node:readline';
import { discoverLessons, findLesson } from '../course/lessons.ts';
import { runLessonChecker } from '../check/check-lesson.ts';
import { RESULT_PREFIX, type CheckJob } from '../check/child.ts';
import { cleanupAll } from '../harness/cleanup.ts';

const lesson = findLesson(discoverLessons(), process.argv[2] ?? '');
if (!lesson) {
  console.error(`No lesson "${process.argv[2] ?? ''}".`);
  process.exit(2);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void cleanupAll().finally(() => process.exit(143)));
}
await import('../harness/index.ts');
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const job = JSON.parse(line) as CheckJob;
  const result = await runLessonChecker(lesson, job);
  await cleanupAll();
  console.log(RESULT_PREFIX + JSON.stringify(result));
}
// A learner's lab may leave a timer or socket behind; every result is out, so end here.
process.exit(0);
