// The report a learner reads after `npm start -- check NN`: a ✔ or ✘ per check, each failure
// in full (what was sent, expected, got, the server's log, a hint), and a summary line.

import type { Style } from '../cli/style.ts';
import { wrap } from '../render/wrap.ts';
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
  /** Wrap to this many columns, continuing each line under its own indent (no wrapping if unset). */
  width?: number;
}

export function formatReport(result: FileResult, options: ReportOptions): string {
  const { style: st, width } = options;
  const out: string[] = [];
  /** Adds `text` after `indent` spaces and a `label` of `labelWidth` columns, wrapped under itself. */
  const line = (indent: number, text: string, label = '', labelWidth = 0) => {
    const lead = indent + labelWidth;
    const pieces = width ? wrap(text, Math.max(20, width - lead)) : [text];
    pieces.forEach((piece, i) => out.push(' '.repeat(indent) + (i === 0 ? label : ' '.repeat(labelWidth)) + piece));
  };
  line(0, st.bold(options.title));
  out.push('');
  const seen = new Set<string>();
  for (const error of result.errors) {
    line(2, `${st.fail('✘')} the checker could not run`);
    for (const l of error.split('\n')) line(6, l);
  }
  for (const check of result.checks) {
    if (check.state === 'passed') line(2, check.name, `${st.ok('✔')} `, 2);
    else if (check.state === 'skipped') line(2, st.dim(`${check.name} (skipped)`), `${st.dim('-')} `, 2);
    else {
      line(2, check.name, `${st.fail('✘')} `, 2);
      const [summary = '', ...rest] = (check.message ?? '').split('\n');
      if (seen.has(summary) && !check.unexpected) {
        line(6, st.dim('(same cause as above)'));
        continue;
      }
      seen.add(summary);
      if (check.unexpected) {
        line(6, st.warn('The check itself stopped on an unexpected error. If your lab looks right, this may be a bug in the workbook:'));
      }
      line(6, st.fail(summary));
      for (const l of rest) field(l);
    }
  }
  const v = verdictOf(result);
  out.push('');
  if (v.ok) line(0, st.ok(`All ${v.total} checks passed.`));
  else {
    line(
      0,
      `${st.fail(`${v.passed} of ${v.total} checks passed.`)} Fix the first ✘, then run ${st.code(options.again)} again. Stuck? ${st.code(options.again.replace(' check ', ' hint '))}`,
    );
  }
  return out.join('\n');

  /** A line of a failure (formatFailure's layout): a labelled field, a continuation, or the log. */
  function field(text: string) {
    const labelled = /^(sent|expected|got|hint)( +)(.*)$/.exec(text);
    if (labelled) {
      const [, label = '', pad = '', value = ''] = labelled;
      const painted = label === 'hint' ? st.accent(value) : label === 'got' ? st.warn(value) : value;
      return line(6, painted, st.dim(label) + pad, label.length + pad.length);
    }
    const log = /^(\s*│ )(.*)$/.exec(text);
    if (log) return line(6, st.dim(log[2] ?? ''), st.dim(log[1] ?? ''), (log[1] ?? '').length);
    const continued = /^( *)(.*)$/.exec(text)!;
    return line(6 + (continued[1] ?? '').length, continued[2] ?? '');
  }
}
