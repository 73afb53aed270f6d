// Every lesson's demo server starts and answers, and every other demo program runs to the end.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverLessons } from '../../tools/course/lessons.ts';
import { TS_IMPORT, exchange, startServer, type ServerProcess } from '../../tools/harness/index.ts';

const DEMO_LIMIT_MS = 30_000;

function run(file: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TS_IMPORT, file, ...args], { cwd: path.dirname(file) });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // Seconds alone; the bound is for a busy machine, where every other test runs beside it.
    const timer = setTimeout(() => {
      output += `\n(killed: still running after ${DEMO_LIMIT_MS / 1000} s)`;
      child.kill('SIGKILL');
    }, DEMO_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

for (const lesson of discoverLessons()) {
  const programs = readdirSync(lesson.dir).filter((f) => f.endsWith('.ts') && f !== 'server.ts');
  // One demo server serves the lesson's programs in turn, as a learner's does.
  let started: Promise<ServerProcess> | undefined;
  const server = () => (started ??= startServer({ file: path.join(lesson.dir, 'server.ts'), scope: 'file' }));
  describe(`demos of ${lesson.slug}`, () => {
    it('the demo server starts and answers "hello"', async () => {
      await exchange({ server: await server(), send: 'hello', expect: { describe: 'any reply', test: () => true } });
    });

    for (const program of programs) {
      it(`${program} runs to the end with exit code 0`, async () => {
        const { code, output } = await run(path.join(lesson.dir, program), ['--port', String((await server()).port)]);
        expect(code, output).toBe(0);
      }, DEMO_LIMIT_MS + 15_000);
    }
  });
}
