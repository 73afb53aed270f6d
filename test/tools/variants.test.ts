import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findLesson, discoverLessons } from '../../tools/course/lessons.ts';
import { ROOT } from '../../tools/course/paths.ts';
import { buildVariantTree, judgeVariant, type Variant } from '../../tools/check/variants.ts';
import type { FileResult } from '../../tools/check/results.ts';

const lesson = findLesson(discoverLessons(), '02')!;
const dir = path.join(ROOT, 'test', 'variants', lesson.slug);
const solutions = path.join(ROOT, 'solutions');
let scratch = '';
afterEach(() => rmSync(scratch, { recursive: true, force: true }));
const tree = () => (scratch = mkdtempSync(path.join(tmpdir(), 'variants-test-')));

const result = (states: Record<string, 'passed' | 'failed' | 'skipped'>, unexpected = false): FileResult => ({
  file: 'test/checkers/02-basic-server.test.ts',
  errors: [],
  checks: Object.entries(states).map(([name, state]) => ({
    name,
    suite: [],
    state,
    durationMs: 1,
    ...(state === 'failed' ? { failure: { summary: 'It failed.', ...(unexpected ? { unexpected: true } : {}) } } : {}),
  })),
  runner: 'fast',
});

describe('variants: building a tree', () => {
  it('applies each edit to the solution and leaves the rest as it is', () => {
    const variant: Variant = { lesson, dir, smoke: [], spec: { name: 'x', bug: 'b', fails: ['f'], edit: { 'server.ts': [['socket.bind(PORT, HOST);', 'socket.bind(PORT + 1, HOST);']] } } };
    const built = readFileSync(path.join(buildVariantTree(variant, solutions, tree()), lesson.slug, 'server.ts'), 'utf8');
    const original = readFileSync(path.join(solutions, lesson.slug, 'server.ts'), 'utf8');
    expect(built).toBe(original.replace('socket.bind(PORT, HOST);', 'socket.bind(PORT + 1, HOST);'));
  });

  it('refuses an edit whose text is not in the solution exactly once', () => {
    const variant: Variant = { lesson, dir, smoke: [], spec: { name: 'x', correct: 'c', edit: { 'server.ts': [['no such text', '']] } } };
    expect(() => buildVariantTree(variant, solutions, tree())).toThrow(/occurs 0 times in it \(it must occur once\)/);
  });
});

describe('variants: judging the checker', () => {
  const bug = { name: 'x', bug: 'b', fails: ['one reply'] };
  const correct = { name: 'y', correct: 'c' };

  it('accepts a bug whose named check failed with advice', () => {
    expect(judgeVariant(bug, result({ 'one reply': 'failed', other: 'skipped' }))).toBeUndefined();
  });

  it('reports a bug that got through', () => {
    expect(judgeVariant(bug, result({ 'one reply': 'passed' }))).toMatch(/the bug was not caught/);
  });

  it('reports a check name that does not exist', () => {
    expect(judgeVariant(bug, result({ 'two replies': 'failed' }))).toMatch(/no check is named "one reply"/);
  });

  it('reports a check that crashed instead of explaining', () => {
    expect(judgeVariant(bug, result({ 'one reply': 'failed' }, true))).toMatch(/crashed instead of explaining/);
  });

  it('refuses a bug that also fails a smoke check it does not name', () => {
    expect(judgeVariant(bug, result({ 'one reply': 'failed', 'says hello': 'failed' }), ['says hello'])).toMatch(/broke more than its bug: the smoke check "says hello"/);
    expect(judgeVariant(bug, result({ 'one reply': 'failed', 'says hello': 'passed' }), ['says hello'])).toBeUndefined();
    expect(judgeVariant({ ...bug, fails: ['one reply', 'says hello'] }, result({ 'one reply': 'failed', 'says hello': 'failed' }), ['says hello'])).toBeUndefined();
  });

  it('accepts a correct answer only if nothing failed and something passed', () => {
    expect(judgeVariant(correct, result({ a: 'passed', b: 'skipped' }))).toBeUndefined();
    expect(judgeVariant(correct, result({ a: 'passed', b: 'failed' }))).toMatch(/a correct answer failed "b"/);
    expect(judgeVariant(correct, result({ a: 'skipped' }))).toBe('no check passed');
  });
});
