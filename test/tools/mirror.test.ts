// A server compiled into the cache and run without the loader (tools/proc/mirror.ts) does what it
// does under the loader: the same output, import.meta and process.argv[1], the same stack trace;
// a program that could tell the difference is left to the loader; an edited file is compiled again.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TS_IMPORT } from '../../tools/harness/index.ts';
import { MIRROR_ARGS, mirrorProgram, pruneCopies } from '../../tools/proc/mirror.ts';
import { cacheEntry } from '../../tools/proc/ts-compile.mjs';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mirror-'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return path.join(dir, 'main.ts');
}

/** stdout and stderr of the program, under the loader or from its copy. */
function run(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\nNode\.js v[\d.]+\n?$/, '') };
}

const HELPER = `export const aVeryLongNameForTheFirstExport = 1, aVeryLongNameForTheSecondExport = 2, aVeryLongNameForTheThirdOne = 3;
export function fail(text: string): never {
  throw new RangeError(\`bad: \${text}\`);
}
`;
// An import over several lines (esbuild keeps it so), one that names a .js for the .ts, one
// with no extension, a re-export.
const MAIN = `import {
  aVeryLongNameForTheFirstExport,
  aVeryLongNameForTheSecondExport,
  aVeryLongNameForTheThirdOne,
  fail,
} from './helper.js';
import { here } from './where';
export * from './where.ts';
interface Sum { total: number }
const sum: Sum = { total: aVeryLongNameForTheFirstExport + aVeryLongNameForTheSecondExport + aVeryLongNameForTheThirdOne };
console.log(sum.total, here, import.meta.url, import.meta.filename, import.meta.dirname, process.argv[1], process.argv.slice(2).join(','));
if (process.argv.includes('--crash')) fail('crash');
`;
const WHERE = `export const here: string = import.meta.url.split('/').pop()!;\n`;

describe('a program run from its compiled copy', () => {
  it('prints what it prints under the loader, and fails with the same stack trace', async () => {
    const main = write({ 'main.ts': MAIN, 'helper.ts': HELPER, 'where.ts': WHERE });
    const copy = await mirrorProgram(main);
    expect(copy).toMatch(/main\.ts\.mjs$/);
    for (const extra of [['--port', '7'], ['--crash']]) {
      const loaded = run(['--import', TS_IMPORT, main, ...extra]);
      const copied = run([...MIRROR_ARGS, copy!, ...extra]);
      expect(copied).toEqual(loaded);
    }
    const { stdout, stderr } = run([...MIRROR_ARGS, copy!, '--crash']);
    expect(stdout).toBe(`6 where.ts ${new URL(`file://${main}`).href} ${main} ${dir} ${main} --crash\n`);
    expect(stderr).toContain(`at fail (${path.join(dir, 'helper.ts')}:3:9)`);
  });

  it('names its own file in process.argv[1] when the temporary folder is a link (as /var is on macOS)', () => {
    const main = write({ 'main.ts': 'console.log(process.argv[1]);\n' });
    mkdirSync(path.join(dir, 'real'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    const script = path.join(dir, 'start.ts');
    const mirror = new URL('../../tools/proc/mirror.ts', import.meta.url).href;
    writeFileSync(script, `import { execFileSync } from 'node:child_process';\nimport { MIRROR_ARGS, mirrorProgram } from '${mirror}';\nprocess.stdout.write(execFileSync(process.execPath, [...MIRROR_ARGS, (await mirrorProgram(${JSON.stringify(main)}))!], { encoding: 'utf8' }));\n`);
    const out = execFileSync(process.execPath, ['--import', TS_IMPORT, script], { encoding: 'utf8', env: { ...process.env, TMPDIR: path.join(dir, 'link') }, timeout: 20_000 });
    expect(out).toBe(`${main}\n`);
  });

  it('shares its compiled code with copies of the program in other folders (the cache does not grow with each)', () => {
    const source = 'console.log(import.meta.url);\n';
    expect(cacheEntry('/one/lab/server.ts', source, true)).toBe(cacheEntry('/two/other/server.ts', source, true));
  });

  it('is compiled again when a file changes', async () => {
    const main = write({ 'main.ts': 'import { n } from "./n.ts";\nconsole.log(n);\n', 'n.ts': 'export const n: number = 1;\n' });
    expect(execFileSync(process.execPath, [...MIRROR_ARGS, (await mirrorProgram(main))!], { encoding: 'utf8' })).toBe('1\n');
    write({ 'n.ts': 'export const n: number = 2;\n' });
    expect(execFileSync(process.execPath, [...MIRROR_ARGS, (await mirrorProgram(main))!], { encoding: 'utf8' })).toBe('2\n');
  });

  it('is removed once its files are gone (pruneCopies)', async () => {
    const main = write({ 'main.ts': 'import { n } from "./n.ts";\nconsole.log(n);\n', 'n.ts': 'export const n: number = 1;\n' });
    const copy = (await mirrorProgram(main))!;
    pruneCopies();
    expect(existsSync(copy)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
    pruneCopies();
    expect(existsSync(copy)).toBe(false);
    expect(existsSync(path.dirname(copy))).toBe(false);
  });

  it('is not made for a program that could tell the difference, or that does not compile', async () => {
    const cases: Record<string, Record<string, string>> = {
      'a package': { 'main.ts': 'import kleur from "vitest";\nconsole.log(kleur);\n' },
      'a file that is not TypeScript': { 'main.ts': 'import { x } from "./x.js";\nconsole.log(x);\n', 'x.js': 'export const x = 1;\n' },
      'JSON': { 'main.ts': 'import x from "./x.json" with { type: "json" };\nconsole.log(x);\n', 'x.json': '{}' },
      'a file that is not there': { 'main.ts': 'import { x } from "./nowhere.ts";\nconsole.log(x);\n' },
      'import()': { 'main.ts': 'const dns = await import("node:dns");\nconsole.log(dns);\n' },
      'import.meta.resolve': { 'main.ts': 'console.log(import.meta.resolve("./x.ts"));\n' },
      'require': { 'main.ts': 'import { createRequire } from "node:module";\nconsole.log(createRequire(import.meta.url)("./x.cjs"));\n' },
      'child processes': { 'main.ts': 'import { fork } from "node:child_process";\nfork("./other.ts");\n' },
      'threads': { 'main.ts': 'import { Worker } from "node:worker_threads";\nnew Worker("./w.ts");\n' },
      'the names a copy defines': { 'main.ts': 'const __workbook_meta_url = 1;\nconsole.log(__workbook_meta_url);\n' },
      'a syntax error': { 'main.ts': 'const x: number = ;\n' },
      'an import of a file with a syntax error': { 'main.ts': 'import { x } from "./x.ts";\nconsole.log(x);\n', 'x.ts': 'export const x = (;\n' },
    };
    for (const [what, files] of Object.entries(cases)) {
      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(path.join(tmpdir(), 'mirror-'));
      expect(await mirrorProgram(write(files)), what).toBeUndefined();
    }
    // The checker's own program, which imports only copies at run time, is made all the same.
    expect(await mirrorProgram(write({ 'main.ts': 'const dns = await import("node:dns");\nconsole.log(dns);\n' }), { trusted: true })).toBeDefined();
    // Started through a link, it has two names (process.argv[1] and import.meta.url).
    symlinkSync(dir, `${dir}-link`);
    try {
      expect(await mirrorProgram(path.join(`${dir}-link`, path.basename(write({ 'main.ts': 'console.log(1);\n' }))))).toBeUndefined();
      expect(await mirrorProgram(write({ 'main.ts': 'console.log(1);\n' }))).toBeDefined();
    } finally {
      rmSync(`${dir}-link`, { force: true });
    }
  });
});
