// An expected error: the learner typed something the workbook cannot do (an unknown lesson, a bad
// flag, a command that needs a terminal). The command line prints its message as one line, with
// no stack, and exits with its code (2 unless said otherwise).

export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}
