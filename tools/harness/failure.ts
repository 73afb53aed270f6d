// A failed check, written for the learner. The message is the whole report, so it reads well
// in the workbook's report and in plain vitest output alike.

export interface FailureDetails {
  /** One sentence: what went wrong. */
  summary: string;
  /** What the check sent, e.g. `"hello" (5 B) from 127.0.0.1:40001`. */
  sent?: string;
  /** What a correct lab does. */
  expected?: string;
  /** What came back, or "nothing within 500 ms". */
  got?: string;
  /** The server's last log lines, if a server was involved. */
  log?: readonly string[];
  /** The likely cause and what to try. */
  hint?: string;
}

export class CheckFailure extends Error {
  override name = 'CheckFailure';
  readonly details: FailureDetails;
  constructor(details: FailureDetails) {
    super(formatFailure(details));
    this.details = details;
    // The stack would point into the harness, not at the learner's code: leave it out.
    this.stack = `${this.name}: ${this.message}`;
  }
}

const LABEL_WIDTH = 10;

export function formatFailure(d: FailureDetails): string {
  const lines = [d.summary];
  const field = (label: string, value: string | undefined) => {
    if (value === undefined) return;
    const [first = '', ...rest] = value.split('\n');
    lines.push(`${label.padEnd(LABEL_WIDTH)}${first}`);
    for (const line of rest) lines.push(`${' '.repeat(LABEL_WIDTH)}${line}`);
  };
  field('sent', d.sent);
  field('expected', d.expected);
  field('got', d.got);
  if (d.log !== undefined) {
    lines.push(d.log.length === 0 ? 'server log (empty)' : `server log (last ${d.log.length} line${d.log.length === 1 ? '' : 's'}):`);
    for (const line of d.log) lines.push(`  │ ${line}`);
  }
  field('hint', d.hint);
  return lines.join('\n');
}

/** Throws a CheckFailure unless `condition` holds. */
export function ensure(condition: unknown, details: FailureDetails): asserts condition {
  if (!condition) throw new CheckFailure(details);
}
