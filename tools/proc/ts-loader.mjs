// `node --import <this file> program.ts`: how the workbook starts the TypeScript processes it runs
// (your lab's server, the probes that call a lab's functions, the checkers' own processes). It
// does for the workbook's files what `node --import tsx` does — esbuild's transform, with the
// nearest tsconfig.json's options — but loads far less, and keeps what it compiled: a process
// starts in about a third of the CPU time, which the self-test, starting hundreds, needs. Stack
// traces point at the .ts lines (source maps). You run your own files with `node --import tsx`.
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./ts-hooks.mjs', import.meta.url);
