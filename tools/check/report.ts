// The report a learner reads after `npm start -- check NN`: a ✔ or ✘ per check, each failure
// in full (what was sent, expected, got, the server's log, a hint), and a summary line.

import type { Style } from '../cli/style.ts';
import type { FileResult } from './run-checkers.ts';

export interface Verdict {
  passed: number;
  failed: number;
  total: number;
  ok: boolean;
}

export function verdictOf(result: FileResult): Verdict {
  const passed = result.checks.filter((c) => c.state === 'passed').length;
  const failed = result.checks.filter((c) => c.state === 'failed').length + (result.errors.length > 0 ? 1 : 0);
  return { passed, failed, total: result.checks.length, ok: failed === 0 && passed > 0 };
}

export interface ReportOptions {
  title: string;
  /** The command that checks again, e.g. `npm start -- check 02`. */
  again: string;
  style: Style;
}

export function formatReport(result: FileResult, options: ReportOptions): string {
  const { style: st } = options;
  const out: string[] = [st.bold(options.title), ''];
  const seen = new Set<string>();
  for (const error of result.errors) {
    out.push(`  ${st.fail('✘')} the checker could not run`);
    out.push(...indent(error, 6));
  }
  for (const check of result.checks) {
    if (check.state === 'passed') out.push(`  ${st.ok('✔')} ${check.name}`);
    else if (check.state === 'skipped') out.push(`  ${st.dim('-')} ${st.dim(`${check.name} (skipped)`)}`);
    else {
      out.push(`  ${st.fail('✘')} ${check.name}`);
      const message = check.message ?? '';
      const [summary = '', ...rest] = message.split('\n');
      if (seen.has(summary) && !check.unexpected) {
        out.push(st.dim('      (same cause as above)'));
        continue;
      }
      seen.add(summary);
      if (check.unexpected) {
        out.push(`      ${st.warn('The check itself stopped on an unexpected error. If your lab looks right, this may be a bug in the workbook:')}`);
      }
      out.push(`      ${st.fail(summary)}`);
      out.push(...rest.map((line) => `      ${colourField(line, st)}`));
    }
  }
  const v = verdictOf(result);
  out.push('');
  if (v.ok) out.push(st.ok(`All ${v.total} checks passed.`));
  else {
    out.push(
      `${st.fail(`${v.passed} of ${v.total} checks passed.`)} Fix the first ✘, then run ${st.code(options.again)} again. Stuck? ${st.code(options.again.replace(' check ', ' hint '))}`,
    );
  }
  return out.join('\n');
}

function colourField(line: string, st: Style): string {
  const m = /^(sent|expected|got|hint)( +)(.*)$/.exec(line);
  if (!m) return line.startsWith('  │') ? st.dim(line) : line;
  const [, label = '', pad = '', value = ''] = m;
  const painted = label === 'hint' ? st.accent(value) : label === 'got' ? st.warn(value) : value;
  return `${st.dim(label)}${pad}${painted}`;
}

function indent(text: string, n: number): string[] {
  return text.split('\n').map((line) => ' '.repeat(n) + line);
}
