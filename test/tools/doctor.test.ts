// `doctor` tries each thing the workbook needs for real and says what to do about what is missing.
import { describe, expect, it } from 'vitest';
import { runWorkbook } from '../support/run-main.ts';

describe('doctor', () => {
  it.runIf(process.platform === 'linux')('finds this machine ready, each need on a line of its own', async () => {
    const { code, stdout } = await runWorkbook(['doctor']);
    expect(code).toBe(0);
    for (const need of ['Node.js 20.19 or later', 'TypeScript runs', 'UDP on 127.0.0.1', 'other loopback addresses (127.0.0.2)', 'broadcast on 127.255.255.255', 'file events in the labs folder']) {
      expect(stdout).toMatch(new RegExp(`^✔ ${need.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    }
    expect(stdout).toMatch(/^Ready\./m);
    expect(stdout.split('\n').every((line) => line.length <= 120)).toBe(true);
  });
});
