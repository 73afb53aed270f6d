import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileProgressStore, MemoryProgressStore, emptyProgress, labProgress, parseProgress, record } from '../../tools/progress/store.ts';
import { TS_IMPORT } from '../../tools/harness/index.ts';

let dir = '';
const warnings: string[] = [];
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  warnings.length = 0;
});
const store = () => {
  dir ||= mkdtempSync(path.join(tmpdir(), 'progress-'));
  return new FileProgressStore(dir, (m) => warnings.push(m));
};
const fresh = () => {
  dir = '';
  return store();
};

describe('progress store', () => {
  it('starts empty when there is no file yet', () => {
    expect(fresh().read()).toEqual(emptyProgress());
    expect(warnings).toEqual([]);
  });

  it('keeps attempts, the first pass, hints seen, the best quiz score and the quizzes taken between runs', () => {
    const s = fresh();
    const t1 = new Date('2026-01-01T10:00:00Z');
    s.update(record.attempt('02-basic-server', false, t1));
    s.update(record.attempt('02-basic-server', true, t1));
    s.update(record.attempt('02-basic-server', false, new Date('2026-01-02T10:00:00Z')));
    s.update(record.hintSeen('02-basic-server', 2));
    s.update(record.hintSeen('02-basic-server', 1));
    s.update(record.quiz('02-basic-server', 3, 4, t1));
    s.update(record.quiz('02-basic-server', 2, 4, t1));
    const again = new FileProgressStore(dir, () => {}).read();
    expect(again.labs['02-basic-server']).toEqual({ passed: true, passedAt: '2026-01-01T10:00:00.000Z', attempts: 3, hintsSeen: 2 });
    expect(again.quizzes['02-basic-server']).toEqual({ best: 3, of: 4, at: '2026-01-01T10:00:00.000Z', taken: 2 });
  });

  it('writes atomically: no temporary or lock file is left behind', () => {
    const s = fresh();
    s.update(record.attempt('01-udp-vs-tcp', true));
    expect(readdirSync(dir)).toEqual(['progress.json']);
  });

  it('sets a damaged file aside with one warning and carries on with fresh progress', () => {
    const s = fresh();
    writeFileSync(s.file, '{"version": 1, "labs": {"02-basic-');
    expect(s.read()).toEqual(emptyProgress());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Your progress file is damaged; it was moved to .*progress\.json\.corrupt-.* and the workbook starts with fresh progress\.$/);
    const aside = readdirSync(dir).find((f) => f.startsWith('progress.json.corrupt-'))!;
    expect(readFileSync(path.join(dir, aside), 'utf8')).toBe('{"version": 1, "labs": {"02-basic-');
    s.update(record.attempt('02-basic-server', true));
    expect(s.read().labs['02-basic-server']?.passed).toBe(true);
  });

  it('refuses JSON that is not progress', () => {
    expect(parseProgress('[]')).toBeUndefined();
    expect(parseProgress('{"version": 2, "labs": {}, "quizzes": {}}')).toBeUndefined();
    expect(parseProgress('{"version": 1, "labs": {}, "quizzes": {}}')).toEqual(emptyProgress());
  });

  it('loses no update when several processes write at once', async () => {
    const s = fresh();
    s.update(() => {});
    const writer = path.join(import.meta.dirname, 'fixtures', 'progress-writer.ts');
    const procs = Array.from({ length: 4 }, () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', TS_IMPORT, writer, dir, '25'], { stdio: 'inherit' });
        child.on('exit', resolve);
      }),
    );
    expect(await Promise.all(procs)).toEqual([0, 0, 0, 0]);
    expect(labProgress(s.read(), '02-basic-server').attempts).toBe(100);
    expect(warnings).toEqual([]);
  });

  it('has an in-memory twin for tests', () => {
    const m = new MemoryProgressStore();
    m.update(record.attempt('01-udp-vs-tcp', true));
    const copy = m.read();
    copy.labs = {};
    expect(m.read().labs['01-udp-vs-tcp']?.passed).toBe(true);
  });
});
