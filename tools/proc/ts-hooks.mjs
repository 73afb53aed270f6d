// Module hooks that run TypeScript (see ts-loader.mjs): a .ts file becomes JavaScript through
// ts-compile.mjs (esbuild, as under tsx, from a cache), and a relative import that names `x.js`
// or `x` finds `x.ts`, as it does under tsx. Plain JavaScript: hooks load before anything could
// compile them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from './ts-compile.mjs';

const TS = /\.m?ts$/;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    // What TypeScript code writes: './x.js' for './x.ts', './x' for './x.ts' or './x/index.ts'.
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\.{1,2}\//.test(specifier) || !context.parentURL || !TS.test(new URL(context.parentURL).pathname)) throw err;
    for (const candidate of [specifier.replace(/\.(m?)js$/, '.$1ts'), `${specifier}.ts`, `${specifier}/index.ts`]) {
      if (candidate === specifier) continue;
      try {
        return await next(candidate, context);
      } catch {
        // try the next
      }
    }
    throw err;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const file = fileURLToPath(url);
  return { format: 'module', source: await compile(file, await readFile(file, 'utf8')), shortCircuit: true };
}
