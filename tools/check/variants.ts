// Known answers to each lab besides the shipped starter and solution. They prove a checker strict
// on behaviour (every bug a learner really writes fails a check) and tolerant of style (a correct
// server written differently passes): rustlings' "dev check", taken further.
//
// Each lesson may have test/variants/NN-slug/variants.ts, whose default export is a list:
//
//   { name: 'fixed-port', bug: 'replies to port 8080, not rinfo.port',
//     fails: ['replies "Echo: hello" to "hello"'],               // these checks must fail
//     edit: { 'server.ts': [['rinfo.port, rinfo.address', '8080, rinfo.address']] } }
//
//   { name: 'async-iterator', correct: 'reads datagrams with for await', // every check must pass
//     files: { 'server.ts': 'async-iterator.ts' } }
//
// A lesson's variants.ts may also export `smoke`: the names of a few checks that every bug must
// still pass unless it names them. A bug variant runs only its named checks and the smoke checks
// (one server start serves them all), and a smoke check that fails means the variant broke more
// than its bug (a typo that stops the server, say), which would make its "caught" meaningless.
// `smoke` is a list for every bug, or, for a lab of several files, lists by file name — a bug
// then runs the smoke checks of the files it edits or replaces (a bug in the client need not
// start the server):
//
//   export const smoke = { 'server.ts': ['answers a broadcast …'], 'discover.ts': ['… nobody answers'] };
//
// A variant is the solution with some files edited (`edit`: each search string must occur exactly
// once, so a changed solution cannot silently make a variant meaningless) or replaced by a file
// of the variants folder (`files`).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { labFiles, type Lesson } from '../course/lessons.ts';
import { failureText, type FileResult } from './results.ts';

interface VariantBase {
  /** Short, unique within the lesson, e.g. "fixed-port". */
  name: string;
  /** Lab file name → [search, replacement] pairs applied to the solution's file. */
  edit?: Record<string, [string, string][]>;
  /** Lab file name → a file in the lesson's variants folder that replaces it. */
  files?: Record<string, string>;
}
export type VariantSpec =
  | (VariantBase & { bug: string; fails: string[] })
  | (VariantBase & { correct: string });

export interface Variant {
  lesson: Lesson;
  spec: VariantSpec;
  /** test/variants/NN-slug/ */
  dir: string;
  /** The smoke checks this variant must pass (those of the files it touches). */
  smoke: readonly string[];
}

export type Smoke = readonly string[] | Readonly<Record<string, readonly string[]>>;

/** The smoke checks for a variant that touches these files. */
export function smokeFor(smoke: Smoke | undefined, spec: VariantSpec): string[] {
  if (!smoke) return [];
  if (Array.isArray(smoke)) return [...smoke];
  const byFile = smoke as Readonly<Record<string, readonly string[]>>;
  const touched = new Set([...Object.keys(spec.edit ?? {}), ...Object.keys(spec.files ?? {})]);
  return [...new Set([...touched].flatMap((file) => byFile[file] ?? []))];
}

export function variantsFile(root: string, lesson: Lesson): string {
  return path.join(root, 'test', 'variants', lesson.slug, 'variants.ts');
}

export async function loadVariants(lessons: readonly Lesson[], root: string): Promise<Variant[]> {
  const all: Variant[] = [];
  for (const lesson of lessons) {
    const file = variantsFile(root, lesson);
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { default: VariantSpec[]; smoke?: Smoke };
    for (const spec of mod.default) all.push({ lesson, spec, dir: path.dirname(file), smoke: smokeFor(mod.smoke, spec) });
  }
  return all;
}

export const describeVariant = (v: Variant) => ('bug' in v.spec ? `bug: ${v.spec.bug}` : `correct: ${v.spec.correct}`);

/** The checks a variant runs: a bug's named checks and the smoke checks; everything for a correct one. */
export function variantChecks(v: Variant): string[] | undefined {
  return 'fails' in v.spec ? [...new Set([...v.spec.fails, ...v.smoke])] : undefined;
}

/**
 * Writes `<into>/<slug>/`: the solution's files, edited or replaced as the variant says, and
 * returns `<into>` (a tree to grade). Throws an Error naming the problem if an edit does not apply.
 */
export function buildVariantTree(variant: Variant, solutions: string, into: string): string {
  const { spec, lesson } = variant;
  const dest = path.join(into, lesson.slug);
  mkdirSync(dest, { recursive: true });
  const names = labFiles(solutions, lesson).map((f) => path.basename(f));
  for (const name of new Set([...names, ...Object.keys(spec.edit ?? {}), ...Object.keys(spec.files ?? {})])) {
    const replacement = spec.files?.[name];
    let text = readFileSync(replacement ? path.join(variant.dir, replacement) : path.join(solutions, lesson.slug, name), 'utf8');
    for (const [search, replace] of spec.edit?.[name] ?? []) {
      const count = text.split(search).length - 1;
      if (count !== 1) {
        throw new Error(`the edit of ${name} looks for ${JSON.stringify(search)}, which occurs ${count} times in it (it must occur once): update the variant to match the solution.`);
      }
      text = text.replace(search, () => replace);
    }
    writeFileSync(path.join(dest, name), text);
  }
  return into;
}

/** What is wrong with the checker's verdict on this variant, or undefined when it is right. */
export function judgeVariant(spec: VariantSpec, result: FileResult, smoke: readonly string[] = []): string | undefined {
  if (result.errors.length > 0) return `the checker did not run: ${result.errors.map(failureText).join('; ')}`;
  const crashed = result.checks.find((c) => c.state === 'failed' && c.failure?.unexpected);
  if (crashed) return `a check crashed instead of explaining: ${crashed.name}\n${crashed.failure ? failureText(crashed.failure) : ''}`;
  if ('correct' in spec) {
    const failed = result.checks.find((c) => c.state === 'failed');
    if (failed) return `a correct answer failed "${failed.name}":\n${failed.failure ? failureText(failed.failure) : ''}`;
    return result.checks.some((c) => c.state === 'passed') ? undefined : 'no check passed';
  }
  const unknown = spec.fails.filter((name) => !result.checks.some((c) => c.name === name));
  if (unknown.length > 0) return `no check is named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`;
  const missed = spec.fails.filter((name) => result.checks.find((c) => c.name === name)?.state !== 'failed');
  if (missed.length > 0) return `the bug was not caught: ${missed.map((n) => JSON.stringify(n)).join(', ')} passed`;
  const broken = result.checks.find((c) => smoke.includes(c.name) && !spec.fails.includes(c.name) && c.state === 'failed');
  if (broken) return `the variant broke more than its bug: the smoke check "${broken.name}" failed too:\n${broken.failure ? failureText(broken.failure) : ''}`;
  return undefined;
}
