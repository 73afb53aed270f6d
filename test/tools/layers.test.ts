// The layers of tools/ point one way (STYLE 18): the ground floor (tools/term/: terminal I/O and
// colour; tools/udp/: addresses and what the harness and the network tools share) knows no one
// above it; the harness and the network tools stand side by side and do not import each other;
// the command line is imported only by the entry points; the renderer is a pure function of its
// input, so it reads no file and no environment.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../tools/course/paths.ts';

const TOOLS = path.join(ROOT, 'tools');

interface Import {
  /** The importing file, relative to the root: `tools/net/send.ts`. */
  file: string;
  /** What it imports, as written: `../udp/address.ts`, `node:fs`. */
  specifier: string;
  /** For a relative import, the file it names, relative to the root. */
  target?: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [full] : [];
  });
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** Static imports, re-exports and dynamic imports with a literal specifier. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)];
  return found.map((m) => {
    const specifier = (m[1] ?? m[2] ?? m[3])!;
    const target = specifier.startsWith('.') ? rel(path.resolve(path.dirname(file), specifier)) : undefined;
    return { file: rel(file), specifier, target };
  });
}

const all = sources(TOOLS).flatMap(importsOf);
const folderOf = (p: string) => /^tools\/([^/]+)\//.exec(p)?.[1];
const describeImport = (i: Import) => `${i.file} imports ${i.specifier}`;

/** The imports from `from/` that break a rule, each as "FILE imports SPECIFIER". */
function offending(from: string, bad: (i: Import) => boolean): string[] {
  return all.filter((i) => folderOf(i.file) === from && bad(i)).map(describeImport);
}

describe('tools/: the layers point one way', () => {
  it('finds the imports it checks', () => {
    expect(all.some((i) => i.file === 'tools/cli/main.ts' && i.target === 'tools/term/io.ts')).toBe(true);
  });

  for (const ground of ['term', 'udp']) {
    it(`tools/${ground}/ imports nothing else of tools/`, () => {
      expect(offending(ground, (i) => i.target !== undefined && folderOf(i.target) !== ground)).toEqual([]);
    });
  }

  it('tools/harness/ does not import tools/net/, nor tools/net/ tools/harness/', () => {
    expect(offending('harness', (i) => i.target !== undefined && folderOf(i.target) === 'net')).toEqual([]);
    expect(offending('net', (i) => i.target !== undefined && folderOf(i.target) === 'harness')).toEqual([]);
  });

  it('only the entry points (tools/bin/) and the command line itself import tools/cli/', () => {
    const bad = all.filter((i) => i.target !== undefined && folderOf(i.target) === 'cli' && !['cli', 'bin'].includes(folderOf(i.file)!));
    expect(bad.map(describeImport)).toEqual([]);
  });

  it('tools/render/ reads no file and no environment', () => {
    expect(offending('render', (i) => /^(node:)?fs(\/|$)/.test(i.specifier))).toEqual([]);
    const readers = sources(path.join(TOOLS, 'render')).filter((f) => /\bprocess\s*\.\s*(env|argv|cwd)\b/.test(readFileSync(f, 'utf8')));
    expect(readers.map((f) => `${rel(f)} reads process.env, argv or cwd`)).toEqual([]);
  });
});
