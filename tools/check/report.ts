// The report a learner reads after `npm start -- check NN`: a ✔ or ✘ per check, each failure
// in full (what was sent, expected, got, the server's log, a hint), and a summary line. It is
// built from the results' fields (results.ts), never from message text. `ReportWriter` writes it
// a check at a time, so that `check` shows the first ✘ as soon as it is known.

import type { Style } from '../term/style.ts';
import { NO_BREAK, unbroken, wrap } from '../render/wrap.ts';
import type { CheckResult, Failure, FileResult } from './results.ts';

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
  /** Every check's line, but only the first failure in full (the menu, where the menu follows). */
  firstInFull?: boolean;
}

const LABEL_WIDTH = 10;

/** Writes a report a piece at a time: the title, each check as it is done, the summary. */
export class ReportWriter {
  private readonly options: ReportOptions;
  /** The first check that showed each cause (summary and hint), so that a repeat points back to it. */
  private readonly seen = new Map<string, string>();
  private failures = 0;

  constructor(options: ReportOptions) {
    this.options = options;
  }

  title(): string[] {
    return [...this.line(0, this.options.style.bold(this.options.title)), ''];
  }

  /** The lines for one check, in full (or, compact, nothing for a pass and only the first ✘). */
  check(check: CheckResult): string[] {
    const st = this.options.style;
    if (check.state === 'passed') {
      return this.options.compact ? [] : this.line(2, check.name, `${st.ok('✔')} `, 2);
    }
    if (check.state === 'skipped') {
      if (this.options.compact) return [];
      const why = check.note ? `skipped: ${check.note}` : 'skipped';
      return this.line(2, st.dim(`${check.name} (${why})`), `${st.dim('-')} `, 2);
    }
    this.failures++;
    if (this.options.compact && this.failures > 1) return [];
    if (this.options.firstInFull && this.failures > 1) return this.line(2, check.name, `${st.fail('✘')} `, 2);
    return [...this.line(2, check.name, `${st.fail('✘')} `, 2), ...this.failure(check.failure ?? { summary: 'The check failed.' }, check.name)];
  }

  /** A problem of the checker file itself. */
  error(failure: Failure): string[] {
    return [...this.line(2, `${this.options.style.fail('✘')} the checker could not run`), ...this.failure(failure)];
  }

  /** The closing lines, given the whole result. */
  end(result: FileResult): string[] {
    const st = this.options.style;
    const out: string[] = [];
    if (this.options.compact) {
      const failures = result.checks.filter((c) => c.state === 'failed').length;
      if (failures > 1) {
        const more = failures - 1;
        out.push(...this.line(2, st.dim(`and ${more} more: ${unbroken(this.options.again)} lists ${more === 1 ? 'it' : 'them all'}`), `${st.fail('✘')} `, 2));
      }
    }
    const v = verdictOf(result);
    if (this.options.firstInFull && this.failures > 1) {
      out.push(...this.line(2, st.dim(`(only the first ✘ in full: ${unbroken(this.options.again)} shows them all)`)));
    }
    out.push('');
    if (v.ok) out.push(...this.line(0, st.ok(v.total === 1 ? 'The check passed.' : `All ${v.total} checks passed.`)));
    else {
      const next = this.options.compact
        ? 'Fix the first ✘ and save.'
        : `Fix the first ✘, then run ${st.code(unbroken(this.options.again))} again. Stuck? ${st.code(unbroken(this.options.again.replace(' check ', ' hint ')))}`;
      out.push(...this.line(0, `${st.fail(`${v.passed} of ${v.total} checks passed.`)} ${next}`));
    }
    return out;
  }

  /** In compact form, the passes as one line, to go before the first failure. */
  passLine(n: number): string[] {
    return n === 0 ? [] : this.line(2, `${n} check${n === 1 ? ' passes' : 's pass'}`, `${this.options.style.ok('✔')} `, 2);
  }

  private failure(f: Failure, name?: string): string[] {
    const st = this.options.style;
    // The same cause: the same summary, the same expectation and the same hint.
    const cause = `${f.summary}\n${f.expected ?? ''}\n${f.hint ?? ''}`;
    const first = this.seen.get(cause);
    if (first !== undefined && !f.unexpected) return this.line(6, st.dim(`(same cause as ✘ ${first}, above)`));
    if (name !== undefined) this.seen.set(cause, name);
    const out: string[] = [];
    if (f.unexpected) {
      out.push(...this.line(6, st.warn('The check itself stopped on an unexpected error. If your lab looks right, this may be a bug in the workbook:')));
    }
    out.push(...this.line(6, st.fail(f.summary)));
    out.push(...this.field('sent', f.sent, (s) => s));
    out.push(...this.field('expected', f.expected, (s) => s));
    out.push(...this.field('got', f.got, st.warn));
    if (f.log !== undefined) {
      out.push(...this.line(6, st.dim(f.log.length === 0 ? 'server log (empty)' : `server log (last ${f.log.length} line${f.log.length === 1 ? '' : 's'}):`)));
      for (const l of f.log) out.push(...this.line(6, st.dim(l), st.dim('  │ '), 4));
    }
    out.push(...this.field('hint', f.hint, st.accent));
    if (f.stack) for (const l of f.stack.split('\n')) out.push(...this.line(6, st.dim(l.trim())));
    return out;
  }

  private field(label: string, value: string | undefined, paint: (s: string) => string): string[] {
    if (value === undefined) return [];
    const out: string[] = [];
    const st = this.options.style;
    value.split('\n').forEach((text, i) => {
      const lead = i === 0 ? st.dim(label) + ' '.repeat(LABEL_WIDTH - label.length) : ' '.repeat(LABEL_WIDTH);
      out.push(...this.line(6, paint(text), lead, LABEL_WIDTH));
    });
    return out;
  }

  /** `text` after `indent` spaces and a `label` of `labelWidth` columns, wrapped under itself. */
  private line(indent: number, text: string, label = '', labelWidth = 0): string[] {
    const { width } = this.options;
    const pieces = width ? wrap(text, Math.max(20, width - indent - labelWidth)) : [text.replaceAll(NO_BREAK, ' ')];
    return pieces.map((piece, i) => ' '.repeat(indent) + (i === 0 ? label : ' '.repeat(labelWidth)) + piece);
  }
}

/** The whole report at once. Compact: the passes counted in one line, then the first failure. */
export function formatReport(result: FileResult, options: ReportOptions): string {
  const writer = new ReportWriter(options);
  const out = writer.title();
  for (const error of result.errors) out.push(...writer.error(error));
  const first = result.checks.find((c) => c.state === 'failed');
  if (options.compact && first) {
    out.push(...writer.passLine(result.checks.filter((c) => c.state === 'passed').length), ...writer.check(first));
  } else {
    for (const check of result.checks) out.push(...writer.check(check));
  }
  out.push(...writer.end(result));
  return out.join('\n');
}
