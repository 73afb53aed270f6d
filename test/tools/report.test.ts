// The learner's report: a mark per check, each failure in full once, and wrapped to the width.
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../tools/check/report.ts';
import type { Failure, FileResult } from '../../tools/check/results.ts';
import { makeStyle } from '../../tools/term/style.ts';

const noReply: Failure = { summary: 'No reply came back.', sent: '"hello" (5 B)', got: 'nothing within 1000 ms', log: ['UDP server listening on 127.0.0.1:4000'], hint: 'Send the reply to rinfo.port and rinfo.address, from the socket that received the request.' };
const result: FileResult = {
  file: 'test/checkers/02-basic-server.test.ts',
  errors: [],
  runner: 'fast',
  checks: [
    { name: 'prints the ready line', suite: [], state: 'passed', durationMs: 1 },
    { name: 'replies "Echo: hello" to "hello"', suite: [], state: 'failed', failure: noReply, durationMs: 1 },
    { name: 'sends exactly one reply per datagram', suite: [], state: 'failed', failure: noReply, durationMs: 1 },
    { name: 'keeps multi-byte UTF-8 intact', suite: [], state: 'failed', failure: { summary: 'The reply is not what a correct server sends.', hint: 'Decode as UTF-8.' }, durationMs: 1 },
  ],
};
const options = { title: 'Lab 02 · A basic UDP server', again: 'npm start -- check 02', style: makeStyle(false) };

describe('the check report', () => {
  it('shows each failure in full once, and points back to it when the cause repeats', () => {
    const text = formatReport(result, options);
    expect(text.match(/No reply came back\./g)).toHaveLength(1);
    expect(text).toContain('  ✘ sends exactly one reply per datagram\n      (same cause as ✘ replies "Echo: hello" to "hello", above)');
    expect(text).toContain('The reply is not what a correct server sends.');
    expect(text.split('\n').at(-1)).toBe('1 of 4 checks passed. Fix the first ✘, then run npm start -- check 02 again. Stuck? npm start -- hint 02');
  });

  it('wraps every line to the width, continuing under its own label', () => {
    const lines = formatReport(result, { ...options, width: 50 }).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(50);
    const hint = lines.findIndex((l) => l.startsWith('      hint      Send the reply'));
    expect(lines[hint + 1]).toMatch(/^ {16}\S/);
  });

  it('never breaks a command across lines, at any width', () => {
    for (let width = 40; width <= 120; width++) {
      const lines = formatReport(result, { ...options, width }).split('\n');
      for (const command of ['npm start -- check 02', 'npm start -- hint 02']) {
        expect(lines.some((line) => line.includes(command)), `${command} at ${width} columns:\n${lines.slice(-3).join('\n')}`).toBe(true);
      }
      expect(lines.join('\n')).not.toContain('\u00a0');
    }
  });

  it('in compact form (watch), counts the passes, shows the first failure and counts the rest', () => {
    const text = formatReport(result, { ...options, compact: true });
    expect(text).toContain('  ✔ 1 check passes\n  ✘ replies "Echo: hello" to "hello"\n      No reply came back.');
    expect(text).toContain('  ✘ and 2 more: npm start -- check 02 lists them all');
    expect(text).not.toContain('keeps multi-byte UTF-8 intact');
    expect(text.split('\n').at(-1)).toBe('1 of 4 checks passed. Fix the first ✘ and save.');
  });

  it('says so when every check passed', () => {
    const ok: FileResult = { ...result, checks: [result.checks[0]!] };
    expect(formatReport(ok, { ...options, compact: true }).split('\n').at(-1)).toBe('The check passed.');
  });
});
