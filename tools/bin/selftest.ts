// `npm test [-- NN ...] [--variant NAME]`: see tools/check/selftest.ts. Repeats what failed, then
// prints the summary line last, and sets the exit code (2 for a lesson or flag it does not know).
import { parseArgs } from 'node:util';
import { selftest } from '../check/selftest.ts';
import { discoverLessons, findLesson, type Lesson } from '../course/lessons.ts';
import { makeStyle } from '../term/style.ts';

const USAGE = 'Usage: npm test [-- NN ...] [--variant NAME]   (NN: a lesson, 02 or 02-basic-server)';
let parsed;
try {
  parsed = parseArgs({ options: { variant: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
} catch (err) {
  console.error(`${(err as Error).message.split('\n')[0]}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const all = discoverLessons();
const lessons: Lesson[] = [];
for (const query of parsed.positionals) {
  const lesson = findLesson(all, query);
  if (!lesson) {
    console.error(`No lesson "${query}": the lessons are ${all[0]?.number}–${all.at(-1)?.number}.\n${USAGE}`);
    process.exit(2);
  }
  lessons.push(lesson);
}

const color = process.env.NO_COLOR ? false : Boolean(process.stdout.isTTY) || Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0');
const started = performance.now();
const whole = lessons.length === 0;
const { passed, failed, failures } = await selftest((line = '') => console.log(line), makeStyle(color), {
  lessons: whole ? all : lessons,
  whole: whole && parsed.values.variant === undefined,
  variant: parsed.values.variant,
  color,
});
if (failures.length > 0) {
  console.log();
  console.log(`What failed (${failures.length === 1 ? 'it is' : 'they are'} printed in full above):`);
  for (const failure of failures) console.log(`  ${failure.replace(/\n/g, '\n  ')}`);
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
