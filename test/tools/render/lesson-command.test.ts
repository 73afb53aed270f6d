// `npm start -- lesson NN`: the whole lesson at the terminal's width, with --width and --plain;
// bad flags are usage errors (exit 2, one line saying what to type).

import { describe, expect, it } from 'vitest';
import { runMain as run, widest } from '../../support/run-main.ts';

describe('command: lesson', () => {
  it("prints the whole lesson, with its included programs, at the terminal's width", async () => {
    const { code, stdout, stderr } = await run(['lesson', '02'], { columns: 64 });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toBe('02 · A basic UDP server');
    expect(stdout).toContain('const server = dgram.createSocket(');
    expect(stdout).not.toContain('<!-- include');
    expect(widest(stdout)).toBeLessThanOrEqual(64);
    expect(widest(stdout)).toBeGreaterThan(56);
  });

  it('uses 80 columns when the output is not a terminal, and at most 100 in a wide one', async () => {
    expect(widest((await run(['lesson', '1'])).stdout)).toBe(80);
    expect(widest((await run(['lesson', '1'], { columns: 200 })).stdout)).toBe(100);
  });

  it('takes --width, and --plain for text without box drawing', async () => {
    const wide = await run(['lesson', '01', '--width', '120']);
    expect(widest(wide.stdout)).toBe(120);
    const plain = await run(['lesson', '01-udp-vs-tcp', '--plain']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^# 01 · UDP vs TCP\n/);
    expect(plain.stdout).not.toMatch(/[\u2500-\u257f]/);
  });

  it('colours only when the terminal takes colour', async () => {
    expect((await run(['lesson', '02'])).stdout).not.toContain('\x1b[');
    expect((await run(['lesson', '02'], { color: true })).stdout).toContain('\x1b[');
  });

  it('answers a missing lesson, a bad width or an unknown flag with one line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['lesson'], /^Which lesson\? Type `npm start -- lesson 01`/],
      [['lesson', '99'], /^No lesson "99"\./],
      [['lesson', '02', '--width', 'wide'], /^--width takes a number of columns from 20 to 200: type for example `npm start -- lesson 02 --width 80`\.$/],
      [['lesson', '02', '--width', '5'], /^--width takes a number of columns/],
      [['lesson', '02', '--wide'], /^Unknown option --wide\. Did you mean --width\? See `npm start -- help lesson`\.$/],
      [['lesson', '01', '02'], /^Unexpected argument "02": `lesson` takes one lesson\. See `npm start -- help lesson`\.$/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await run(args);
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr.trimEnd()).toMatch(message);
    }
  });
});
