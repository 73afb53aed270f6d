// A TypeScript program compiled, file by file, into the cache (ts-compile.mjs), where Node runs it
// without module hooks: on Node 20, the loader's hooks run on a thread of their own, and starting
// that thread is about 40 % of what starting a server costs. The checkers start hundreds.
//
// Each module's copy is its JavaScript as the loader would give it, with `import.meta.url`,
// `.filename` and `.dirname` the file's own (a first line gives them; the compiled code, cached
// once for every folder the file is copied to, names them), its imports of the program's other
// files pointed at their copies, and a source map that names the file itself: stack traces show
// your file and line, as under the loader. The prelude puts the file's own path back in
// process.argv[1]. A program that could tell the difference runs with the loader instead: one
// that imports a package or a file that is not TypeScript, loads code at run time (`import()`,
// `require`), starts other Node processes or threads (which would not have the loader), or uses
// any other part of `import.meta` (or the names the first line defines); one started by a path
// through a link; or one that does not compile (the loader reports that).

import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE_DIR, STANDALONE_META, compile } from './ts-compile.mjs';

const MIRROR_ROOT = path.join(CACHE_DIR, 'run');
const PRELUDE = new URL('./mirror-prelude.mjs', import.meta.url);
PRELUDE.searchParams.set('root', MIRROR_ROOT);

/** The arguments before the program's own that run a mirrored program (its prelude). */
export const MIRROR_ARGS: readonly string[] = ['--enable-source-maps', '--import', PRELUDE.href];

/** Code the copy could not run as the original does. */
const UNSAFE = /\bimport\s*\(|\bimport\.meta\b|\brequire\b|createRequire|worker_threads|child_process|\bcluster\b/;
/** A static import or re-export, as esbuild prints them (a long list of names over several lines). */
const IMPORT = /^(?:(?:import|export)\b[^;"]*?\bfrom\s*|import\s*)"([^"\n]+)";$/gm;
/** Anything else that might be one. */
const OTHER_IMPORT = /\bfrom\s*["'`]|^\s*import\s*["'`]/m;
const TS = /\.m?ts$/;

function mirrorOf(file: string): string {
  return `${path.join(MIRROR_ROOT, file)}.mjs`;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The file a relative import names, found as the loader finds it (ts-hooks.mjs). */
function resolveRelative(specifier: string, importer: string): string | undefined {
  const base = path.resolve(path.dirname(importer), decodeURIComponent(specifier));
  for (const candidate of [base, base.replace(/\.(m?)js$/, '.$1ts'), `${base}.ts`, path.join(base, 'index.ts')]) {
    if (isFile(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/** The copy's text: the module's imports pointed at the copies; undefined if it cannot be copied. */
function rewrite(code: string, file: string, found: (file: string) => void): string | undefined {
  let ok = true;
  const out = code.replace(IMPORT, (line: string, specifier: string) => {
    if (isBuiltin(specifier)) return line;
    const target = /^\.{1,2}\//.test(specifier) ? resolveRelative(specifier, file) : undefined;
    if (target === undefined || !TS.test(target)) {
      ok = false;
      return line;
    }
    found(target);
    return line.replace(`"${specifier}"`, JSON.stringify(pathToFileURL(mirrorOf(target)).href));
  });
  if (!ok || OTHER_IMPORT.test(code.replace(IMPORT, ''))) return undefined;
  return out;
}

const MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * The compiled module as its copy runs it: a first line that gives `import.meta`'s values (the
 * compiled code names them, STANDALONE_META), and a source map moved down a line that names the
 * file by its full URL. Undefined if the code has no source map.
 */
function placed(code: string, file: string): string | undefined {
  const m = MAP.exec(code);
  if (!m) return undefined;
  const map = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as { sources: string[]; mappings: string };
  map.sources = [pathToFileURL(file).href];
  map.mappings = `;${map.mappings}`;
  const values = { 'import.meta.url': pathToFileURL(file).href, 'import.meta.filename': file, 'import.meta.dirname': path.dirname(file) };
  const head = `const ${Object.entries(STANDALONE_META).map(([meta, name]) => `${name} = ${JSON.stringify(values[meta as keyof typeof values])}`).join(', ')};`;
  return `${head}\n${code.slice(0, m.index)}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // not written yet
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, text, { flag: 'wx' });
  renameSync(temp, file);
}

/**
 * Compiles the program whose entry is `file` into the cache and returns the copy of its entry,
 * for `node ...MIRROR_ARGS <copy> args`, or to import from a program that runs from its copy;
 * undefined when it must run with the loader instead. `trusted`: the entry is the checker's own,
 * and what it imports at run time is a copy (04-faulty-server.ts imports the lab's this way).
 */
export async function mirrorProgram(file: string, { trusted = false } = {}): Promise<string | undefined> {
  try {
    if (!existsSync(file)) return undefined;
    const entry = realpathSync(file);
    // Node names the program in process.argv[1] as it was given, and its import.meta by its real
    // path: through a link the two differ, and only the loader keeps them so.
    if (entry !== path.resolve(file)) return undefined;
    const copies = new Map<string, string>();
    const queue = [entry];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const module = queue.shift()!;
      if (!TS.test(module)) return undefined;
      const source = readFileSync(module, 'utf8');
      if (source.includes('__workbook_meta_')) return undefined; // the names the copy defines
      const code = placed(await compile(module, source, true), module);
      if (code === undefined || (UNSAFE.test(code) && !(trusted && module === entry))) return undefined;
      const copy = rewrite(code, module, (target) => {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      });
      if (copy === undefined) return undefined;
      copies.set(mirrorOf(module), copy);
    }
    for (const [copy, text] of copies) writeIfChanged(copy, text);
    return mirrorOf(entry);
  } catch {
    return undefined; // the loader runs it, and reports what is wrong with it
  }
}

/**
 * Removes the copies whose files are gone (a known answer's tree, a test's temporary folder), so
 * that the cache does not grow with every run of the self-test. Empty folders go too.
 */
export function pruneCopies(dir = MIRROR_ROOT): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const entry = path.join(dir, name);
    try {
      if (statSync(entry).isDirectory()) pruneCopies(entry);
      else if (name.endsWith('.mjs') && !existsSync(entry.slice(MIRROR_ROOT.length, -'.mjs'.length))) rmSync(entry, { force: true });
    } catch {
      // another run's, being written or removed
    }
  }
  try {
    if (dir !== MIRROR_ROOT && readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // not empty after all, or gone
  }
}
