// `npm test`: see tools/check/selftest.ts. Prints the summary line last and sets the exit code.
import { selftest } from '../check/selftest.ts';
import { makeStyle } from '../term/style.ts';

const color = process.env.NO_COLOR ? false : Boolean(process.stdout.isTTY) || Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0');
const started = performance.now();
const { passed, failed } = await selftest((line = '') => console.log(line), makeStyle(color));
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
