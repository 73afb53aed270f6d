// What a command may touch of the outside world. Only tools/bin/workbook.ts builds the real one
// from `process`; tests pass fakes. No command reads process.stdout or process.env directly
// (STYLE 6); the one exception in tools/ is the checked tree, WORKBOOK_TARGET, which checkers read
// through tools/harness/target.ts as DESIGN.md says.
//
// tools/term/ is the ground floor: the terminal's streams, the colours and the one-line error.
// Everything else stands on it, and it imports nothing else of tools/.

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

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
