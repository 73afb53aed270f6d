// The report a learner reads after `npm start -- check NN`: a ✔ or ✘ per check, each failure
// in full (what was sent, expected, got, the server's log, a hint), and a summary line.

import type { Style } from '../term/style.ts';
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
  /** The first failure only, the others counted (watch mode, where the screen is small). */
  compact?: boolean;
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
  // A failure whose summary and hint were already shown points back to the first check that
  // showed them, instead of repeating them.
  const seen = new Map<string, string>();
  for (const error of result.errors) {
    line(2, `${st.fail('✘')} the checker could not run`);
    for (const l of error.split('\n')) line(6, l);
  }
  // Compact: the passes counted in one line, the first failure in full, the other failures counted.
  const failures = result.checks.filter((c) => c.state === 'failed');
  const shown = options.compact && failures.length > 0 ? failures.slice(0, 1) : result.checks;
  if (shown !== result.checks) {
    const passes = result.checks.filter((c) => c.state === 'passed').length;
    if (passes > 0) line(2, `${passes} check${passes === 1 ? ' passes' : 's pass'}`, `${st.ok('✔')} `, 2);
  }
  for (const check of shown) {
    if (check.state === 'passed') line(2, check.name, `${st.ok('✔')} `, 2);
    else if (check.state === 'skipped') line(2, st.dim(`${check.name} (skipped)`), `${st.dim('-')} `, 2);
    else {
      line(2, check.name, `${st.fail('✘')} `, 2);
      const [summary = '', ...rest] = (check.message ?? '').split('\n');
      const cause = [summary, ...rest.filter((l) => l.startsWith('hint'))].join('\n');
      const first = seen.get(cause);
      if (first !== undefined && !check.unexpected) {
        line(6, st.dim(`(same cause as ✘ ${first}, above)`));
        continue;
      }
      seen.set(cause, check.name);
      if (check.unexpected) {
        line(6, st.warn('The check itself stopped on an unexpected error. If your lab looks right, this may be a bug in the workbook:'));
      }
      line(6, st.fail(summary));
      for (const l of rest) field(l);
    }
  }
  if (shown !== result.checks && failures.length > 1) {
    const more = failures.length - 1;
    line(2, st.dim(`and ${more} more: ${options.again} lists ${more === 1 ? 'it' : 'them all'}`), `${st.fail('✘')} `, 2);
  }
  const v = verdictOf(result);
  out.push('');
  if (v.ok) line(0, st.ok(v.total === 1 ? "The check passed." : `All ${v.total} checks passed.`));
  else {
    const next = options.compact
      ? 'Fix the first ✘ and save.'
      : `Fix the first ✘, then run ${st.code(options.again)} again. Stuck? ${st.code(options.again.replace(' check ', ' hint '))}`;
    line(0, `${st.fail(`${v.passed} of ${v.total} checks passed.`)} ${next}`);
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
