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
  /**
   * The folder the user typed the command in, for paths they give (--target, --json): npm runs
   * scripts in the root, and says where it was started in INIT_CWD. The root when unset.
   */
  cwd?: string;
  /** True only when stdin and stdout are terminals and CI is not set: prompts may wait for input. */
  interactive: boolean;
  /** False when NO_COLOR is set or stdout is not a terminal (unless FORCE_COLOR is set). */
  color: boolean;
  /** Aborted when the workbook must stop: Ctrl+C (SIGINT) with no claim on it, SIGTERM, SIGHUP. */
  signal: AbortSignal;
  /**
   * Ctrl+C for one action. While an action the menu runs (a check) holds a claim, Ctrl+C aborts
   * the claim's signal, and the action stops and hands back to the lesson menu, instead of ending
   * the workbook. The claim's signal is aborted too whenever `signal` is.
   */
  claimInterrupt(): InterruptClaim;
}

export interface InterruptClaim {
  signal: AbortSignal;
  release(): void;
}

/**
 * The claims on Ctrl+C, for whoever builds an Io: `interrupt()` aborts the newest claim and
 * returns true, or returns false when nothing holds one (then the workbook stops).
 */
export function interruptClaims(quit: AbortSignal): { claim: () => InterruptClaim; interrupt: () => boolean } {
  const claims: AbortController[] = [];
  return {
    claim() {
      const controller = new AbortController();
      claims.push(controller);
      const onQuit = () => controller.abort(quit.reason);
      quit.addEventListener('abort', onQuit, { once: true });
      if (quit.aborted) onQuit();
      return {
        signal: controller.signal,
        release() {
          quit.removeEventListener('abort', onQuit);
          const i = claims.indexOf(controller);
          if (i >= 0) claims.splice(i, 1);
        },
      };
    },
    interrupt() {
      const newest = claims.at(-1);
      if (!newest || newest.signal.aborted) return false;
      newest.abort(new Error('Interrupted'));
      return true;
    },
  };
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
