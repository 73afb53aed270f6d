// The workflow an instructor copies for GitHub Classroom: valid YAML (read by a YAML parser, where
// the machine has one), and it runs the commands the README documents, with flags that exist.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../tools/course/paths.ts';
import { loadCommands } from '../../tools/cli/commands/index.ts';

const commands = await loadCommands();

const FILE = path.join(ROOT, '.github', 'classroom', 'udp-workbook.yml');
const text = readFileSync(FILE, 'utf8');
const hasYaml = spawnSync('python3', ['-c', 'import yaml']).status === 0;

describe('the GitHub Classroom workflow', () => {
  it.runIf(hasYaml)('is valid YAML, a workflow with a job that grades', () => {
    const parsed = JSON.parse(
      execFileSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', FILE], { encoding: 'utf8' }),
    ) as { name: string; jobs: Record<string, { steps: { run?: string; uses?: string }[] }> };
    expect(parsed.name).toBe('UDP workbook');
    const steps = Object.values(parsed.jobs).flatMap((job) => job.steps);
    expect(steps.some((s) => s.run === 'npm ci --no-audit --no-fund')).toBe(true);
    expect(steps.some((s) => s.run?.startsWith('npm run grade'))).toBe(true);
  });

  it("uses the grade command's flags as they are", () => {
    const grade = commands.find((c) => c.name === 'grade')!;
    for (const [, flag] of text.matchAll(/npm run grade -- (.*)$/gm)) {
      for (const [, name] of flag!.matchAll(/--([a-z-]+)/g)) expect(Object.keys(grade.flags)).toContain(name);
    }
  });

  it('is where the README says it is', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('.github/classroom/udp-workbook.yml');
  });
});
