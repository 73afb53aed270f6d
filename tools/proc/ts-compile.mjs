// TypeScript to JavaScript for the workbook's own loader (ts-loader.mjs): esbuild's transform with
// the options tsx gives it (the nearest tsconfig.json's compiler options, names kept, ES modules
// for the running Node), kept in a cache on disk keyed by the file's name and content. A process
// whose files are all in the cache never loads esbuild at all, which is most of what starting a
// TypeScript program costs; `warm()` fills the cache from a process that has esbuild loaded
// already (the checker's), before it starts another.
//
// Plain JavaScript: module hooks load before anything could compile them.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const ESBUILD_VERSION = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
const TARGET = `node${process.versions.node}`;

function uid() {
  try {
    return String(userInfo().uid);
  } catch {
    return 'user';
  }
}

export const CACHE_DIR = path.join(tmpdir(), `udp-workbook-ts-${uid()}`);

const tsconfigs = new Map();

/** The compiler options of the nearest tsconfig.json above `file` (comments allowed), as tsx reads them. */
function compilerOptions(file) {
  const dir = path.dirname(file);
  if (tsconfigs.has(dir)) return tsconfigs.get(dir);
  let options = {};
  const config = path.join(dir, 'tsconfig.json');
  if (existsSync(config)) {
    try {
      const text = readFileSync(config, 'utf8')
        .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, string) => string ?? '')
        .replace(/,(\s*[}\]])/g, '$1');
      options = JSON.parse(text).compilerOptions ?? {};
    } catch {
      options = {};
    }
  } else if (path.dirname(dir) !== dir) {
    options = compilerOptions(dir);
  }
  tsconfigs.set(dir, options);
  return options;
}

function optionsFor(file) {
  // The file's own name, not its path, goes into the source map: Node finds it beside the module,
  // and the same file in another folder (a copy of a lab) shares the cached result.
  return {
    loader: file.endsWith('.mts') || file.endsWith('.ts') ? 'ts' : 'js',
    format: 'esm',
    target: TARGET,
    sourcemap: 'inline',
    sourcesContent: false,
    keepNames: true,
    sourcefile: path.basename(file),
    tsconfigRaw: { compilerOptions: compilerOptions(file) },
  };
}

let esbuild;

/**
 * The options for a module run without the loader, from a copy elsewhere (mirror.ts): its
 * `import.meta` values become names that the copy defines, so that the result does not depend
 * on where the file is (copies of a lab in other folders share it).
 */
export const STANDALONE_META = { 'import.meta.url': '__workbook_meta_url', 'import.meta.filename': '__workbook_meta_filename', 'import.meta.dirname': '__workbook_meta_dirname' };
function standaloneOptionsFor(file) {
  return { ...optionsFor(file), define: STANDALONE_META };
}

/** Where the compiled `source` of `file` is kept. */
export function cacheEntry(file, source, standalone = false) {
  const options = standalone ? standaloneOptionsFor(file) : optionsFor(file);
  const key = createHash('sha256').update(JSON.stringify([ESBUILD_VERSION, options, source])).digest('hex');
  return path.join(CACHE_DIR, `${key}.mjs`);
}

/**
 * The JavaScript for `source`, the content of `file`: from the cache, or compiled and cached.
 * `standalone`: for a copy run without the loader (see standaloneOptionsFor).
 */
export async function compile(file, source, standalone = false) {
  const options = standalone ? standaloneOptionsFor(file) : optionsFor(file);
  const cached = cacheEntry(file, source, standalone);
  try {
    const code = readFileSync(cached, 'utf8');
    // An empty entry for a file that is not empty is not a result (a cache written by something
    // else, or cut short): compile it again.
    if (code.length > 0 || source.length === 0) return code;
  } catch {
    // not compiled yet
  }
  esbuild ??= await import('esbuild');
  let code;
  try {
    ({ code } = await esbuild.transform(source, options));
  } catch (err) {
    // esbuild names the file as it was given (its name only): name it in full, as tsx does, for
    // the harness's reading of a syntax error (harness/crash.ts).
    if (err && typeof err.message === 'string') err.message = err.message.replaceAll(`${options.sourcefile}:`, `${file}:`);
    throw err;
  }
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // A name no other writer uses (threads of one process share its pid), written whole, then
    // renamed into place: a reader sees the whole result or none.
    const temp = `${cached}.${process.pid}.${threadId}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temp, code, { flag: 'wx' });
    renameSync(temp, cached);
  } catch {
    // a cache that cannot be written only costs time
  }
  return code;
}

/** Compiles the .ts files into the cache now, so that a process about to start finds them there. */
export async function warm(files) {
  await Promise.all(
    files
      .filter((f) => /\.m?ts$/.test(f))
      .map(async (f) => {
        try {
          await compile(f, readFileSync(f, 'utf8'));
        } catch {
          // a file that does not compile is the started process's to report
        }
      }),
  );
}
