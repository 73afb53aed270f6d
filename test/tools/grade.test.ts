// Grading, as an instructor does it: a folder of labs outside any workbook copy, refused in one
// line when it cannot be graded, labs that are not there named "missing", reports as JSON and
// JUnit XML whose format is written down, and a server written in Python graded through --server.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverLessons } from '../../tools/course/lessons.ts';
import { ROOT } from '../../tools/course/paths.ts';
import type { GradeReport } from '../../tools/check/grade-report.ts';
import { runWorkbook } from '../support/run-main.ts';

const lessons = discoverLessons();
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const scratch = () => (dir = mkdtempSync(path.join(tmpdir(), 'grade-')));
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Lab 02's solution alone, in a folder outside any workbook copy (no package.json above it). */
function submission(): string {
  const labs = path.join(scratch(), 'submissions', 'alice');
  mkdirSync(labs, { recursive: true });
  cpSync(path.join(ROOT, 'solutions', '02-basic-server'), path.join(labs, '02-basic-server'), { recursive: true });
  return labs;
}

const ECHO_PY = `import argparse, socket
p = argparse.ArgumentParser()
p.add_argument('--port', type=int, default=8080)
p.add_argument('--host', default='127.0.0.1')
a = p.parse_args()
s = socket.socket(socket.AF_INET6 if ':' in a.host else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((a.host, a.port))
print(f"UDP server listening on {a.host}:{s.getsockname()[1]}", flush=True)
while True:
    data, addr = s.recvfrom(65535)
    s.sendto(b"Echo: " + data, addr)
`;

describe('grade', () => {
  it('refuses a folder that does not exist, or holds no lab, in one line with exit code 2', async () => {
    const missing = await runWorkbook(['grade', '--target', '/nonexistent/labs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^--target \/nonexistent\/labs: there is no folder/)]);
    const empty = await runWorkbook(['grade', '--target', scratch()]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/holds no lab folder \(01-udp-vs-tcp\/, 02-basic-server\/, …\)/);
  });

  it('refuses a report file it could not write before grading anything', async () => {
    const result = await runWorkbook(['grade', '--json', '/nonexistent/dir/g.json']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('--json /nonexistent/dir/g.json: there is no folder /nonexistent/dir to write it in. Create it, or name a file in an existing folder.');
    expect(result.stdout).toBe(''); // (no lab was graded: a grade prints a line for each)
  });

  it('grades a folder outside any workbook copy, names the other labs missing, and writes JSON and JUnit', async () => {
    const labs = submission();
    const json = path.join(dir, 'grade.json');
    const junit = path.join(dir, 'grade.xml');
    const result = await runWorkbook(['grade', '--target', labs, '--json', json, '--junit', junit], {}, 120_000);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/cjs|esbuild|top-level await/i);
    expect(result.stdout).toMatch(/✔ 02-basic-server\s+(\d+)\/\1 checks/);
    expect(result.stdout).toMatch(/✘ 01-udp-vs-tcp\s+missing/);
    expect(result.stdout).toContain(`1 of ${lessons.length} labs pass; ${lessons.length - 1} missing.`);

    const report = JSON.parse(readFileSync(json, 'utf8')) as GradeReport;
    expect(report).toMatchObject({ format: 'udp-workbook-grade/1', workbook: { name: 'udp-workbook' }, node: process.version, target: labs, passed: 1, total: lessons.length });
    expect(Date.now() - Date.parse(report.generatedAt)).toBeLessThan(300_000);
    const lab02 = report.labs.find((l) => l.lesson === '02-basic-server')!;
    expect(lab02).toMatchObject({ status: 'passed', failed: 0 });
    expect(lab02.passed).toBe(lab02.checks.length);
    expect(lab02.passed).toBeGreaterThan(0);
    expect(lab02.checks.every((c) => Number.isInteger(c.durationMs))).toBe(true);
    expect(report.labs.find((l) => l.lesson === '01-udp-vs-tcp')).toMatchObject({ status: 'missing', checks: [] });

    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="udp-workbook" tests="\d+" failures="\d+"/);
    expect(xml).toContain('<testcase classname="02-basic-server" name="replies &quot;Echo: hello&quot; to &quot;hello&quot;"');
    expect(xml).toContain('<failure message="missing">');
    if (hasPython) {
      // Well-formed, as a CI's JUnit reader will parse it.
      execFileSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])', junit]);
    }
  });
});

describe.runIf(hasPython)('a server in another language (--server)', () => {
  it('passes lab 02 with a correct echo server written in Python', async () => {
    const server = path.join(scratch(), 'echo.py');
    writeFileSync(server, ECHO_PY);
    const result = await runWorkbook(['check', '02', '--server', `python3 ${server}`, '--target', 'solutions']);
    expect(result.stdout.replace(/\s+/g, ' ')).toMatch(/· your server `python3 \S*echo\.py`/);
    expect(result.stdout).toMatch(/All \d+ checks passed\./);
    expect(result.code).toBe(0);
  });

  it('fails a broken one, saying what is wrong', async () => {
    const server = path.join(scratch(), 'echo.py');
    writeFileSync(server, ECHO_PY.replace('b"Echo: " + data', 'b"Echo:" + data'));
    const result = await runWorkbook(['check', '02', '--server', `python3 ${server}`, '--target', 'solutions']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✘ replies "Echo: hello" to "hello"');
    expect(result.stdout).toMatch(/got\s+"Echo:hello" \(10 B\)/);
  });

  it("reports a command that does not start, with its exit code and the tail of its stderr", async () => {
    const result = await runWorkbook(['check', '02', '--server', 'python3 -c "import sys; sys.exit(\'no such thing\')"', '--target', 'solutions']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Your server exited with code 1 \(python3 -c/);
    expect(result.stdout).toContain('no such thing');
  });

  it('refuses --server for a lab that is not a server', async () => {
    const result = await runWorkbook(['check', '01', '--server', 'python3 x.py']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Lab 01 is not a server/);
  });
});
