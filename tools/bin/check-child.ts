// Runs one lesson's checker and prints its results as one JSON line (see tools/check/child.ts):
//   node --import tsx tools/bin/check-child.ts <NN-slug> [--wait] [--target T] [--only NAME]...
// With --wait it loads everything, then waits for a line on stdin before checking. SIGTERM stops
// the servers the checker started before the process ends.

import { parseArgs } from 'node:util';
import { discoverLessons, findLesson } from '../course/lessons.ts';
import { runLessonChecker } from '../check/check-lesson.ts';
import { RESULT_PREFIX } from '../check/child.ts';
import { cleanupAll } from '../harness/cleanup.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { target: { type: 'string' }, only: { type: 'string', multiple: true }, wait: { type: 'boolean' } },
});
const lesson = findLesson(discoverLessons(), positionals[0] ?? '');
if (!lesson) {
  console.error(`No lesson "${positionals[0] ?? ''}".`);
  process.exit(2);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void cleanupAll().finally(() => process.exit(143)));
}
if (values.wait) {
  // Load what every checker uses now, while nothing is asked of this process yet.
  await import('../harness/index.ts');
  const go = await new Promise<boolean>((resolve) => process.stdin.once('data', () => resolve(true)).once('end', () => resolve(false)));
  // No word before the end of stdin: the workbook went away without needing this check.
  if (!go) process.exit(0);
  process.stdin.pause();
}
const result = await runLessonChecker(lesson, { target: values.target, only: values.only });
await cleanupAll();
console.log(RESULT_PREFIX + JSON.stringify(result));
// A learner's lab may leave a timer or socket behind; the result is out, so end here.
process.exit(0);
