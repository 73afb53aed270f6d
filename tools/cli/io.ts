// What a command may touch of the outside world. Only tools/bin/workbook.ts builds the real one
// from `process`; tests pass fakes. No command reads process.stdout or process.env directly
// (STYLE 6); the one exception in tools/ is the checked tree, WORKBOOK_TARGET, which checkers read
// through tools/harness/target.ts as DESIGN.md says.

export interface Io {
  stdout: NodeJS.WritableStream & { columns?: number; rows?: number; isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  /** The workbook's root folder (where package.json is). */
  root: string;
  /** True only when stdin and stdout are terminals and CI is not set: prompts may wait for input. */
  interactive: boolean;
  /** False when NO_COLOR is set or stdout is not a terminal (unless FORCE_COLOR is set). */
  color: boolean;
  /** Aborted when the learner presses Ctrl+C (SIGINT) or the process gets SIGTERM. */
  signal: AbortSignal;
}

/** One `npm start -- <name> ...` command. `run` returns the exit code: 0 ok, 1 failed check, 2 usage. */
export interface Command {
  name: string;
  /** One line for `help`, under 60 characters. */
  summary: string;
  /** e.g. "check <NN>"; shown in help and in usage errors. */
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}

/** An expected error: printed as one line (no stack), with an exit code. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
