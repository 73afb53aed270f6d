// The workbook's own TypeScript loader (tools/proc/ts-loader.mjs): a program it starts runs, what it
// compiled is kept, and an entry of the cache that is not a result (empty) is compiled again,
// never run as an empty program (which would exit 0 having done nothing).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TS_IMPORT } from '../../tools/harness/index.ts';
import { CACHE_DIR, cacheEntry, compile, warm } from '../../tools/proc/ts-compile.mjs';

let dir = '';
let program = '';
let source = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ts-loader-'));
  program = path.join(dir, 'hello.ts');
  // Unique content, so that no earlier run left it in the cache.
  source = `const n: number = ${Date.now()}${process.pid};\nconsole.log(\`hello \${typeof n}\`);\n`;
  writeFileSync(program, source);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheEntry(program, source), { force: true });
});

const run = () => execFileSync(process.execPath, ['--import', TS_IMPORT, program], { encoding: 'utf8', timeout: 20_000 });

describe('the TypeScript loader', () => {
  it('runs a TypeScript program and keeps what it compiled', () => {
    expect(run()).toBe('hello number\n');
    expect(readFileSync(cacheEntry(program, source), 'utf8')).toContain('console.log');
  });

  it('warm() fills the cache before the program starts', async () => {
    expect(existsSync(cacheEntry(program, source))).toBe(false);
    await warm([program]);
    expect(readFileSync(cacheEntry(program, source), 'utf8')).toContain('console.log');
    expect(run()).toBe('hello number\n');
  });

  it('compiles again a cache entry that is empty, in the checker and in the program', async () => {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(cacheEntry(program, source), '');
    expect(run()).toBe('hello number\n');
    writeFileSync(cacheEntry(program, source), '');
    expect(await compile(program, source)).toContain('console.log');
    expect(readFileSync(cacheEntry(program, source), 'utf8')).toContain('console.log');
  });

  it('leaves no temporary file behind', async () => {
    await warm([program]);
    const mine = path.basename(cacheEntry(program, source));
    expect(readdirSync(CACHE_DIR).filter((n) => n.startsWith(mine) && n.endsWith('.tmp'))).toEqual([]);
  });
});
