// What a checker grades, handed to it by whoever runs it (DESIGN.md, "The checked tree"): the
// tree of labs, and, for a server written in another language, the command that starts it. The
// workbook's runners set it directly; under vitest, test/setup.ts reads it from the environment
// (WORKBOOK_TARGET, WORKBOOK_SERVER), the one place a checker's context comes from there.

export interface CheckContext {
  /** `labs` (the default), `solutions`, `starters`, or a path to a folder with the NN-slug/ layout. */
  target?: string;
  /** A command that starts the lab's server instead of server.ts (`--port P --host H` appended). */
  server?: string;
  /**
   * When only some checks run (a known answer's run names them), their names: a checker may start
   * what those checks need ahead of time (willRun), and nothing else. Never part of a verdict.
   */
  checks?: readonly string[];
}

let current: CheckContext | undefined;

export function setCheckContext(context: CheckContext): void {
  current = { ...context };
}

/** Whether a runner has set the context (the fast runner does, before the setup file loads). */
export function hasCheckContext(): boolean {
  return current !== undefined;
}

export function checkContext(): CheckContext {
  return current ?? {};
}

/** Whether the check of that name is going to run: for starting what it needs ahead of time. */
export function willRun(check: string): boolean {
  const checks = checkContext().checks;
  return checks === undefined || checks.includes(check);
}

/** The context as environment variables, for a process that reads it with `contextFromEnv`. */
export function contextToEnv(context: CheckContext): Record<string, string> {
  return {
    ...(context.target ? { WORKBOOK_TARGET: context.target } : {}),
    ...(context.server ? { WORKBOOK_SERVER: context.server } : {}),
    ...(context.checks ? { WORKBOOK_CHECKS: JSON.stringify(context.checks) } : {}),
  };
}

export function contextFromEnv(env: NodeJS.ProcessEnv): CheckContext {
  return {
    ...(env.WORKBOOK_TARGET ? { target: env.WORKBOOK_TARGET } : {}),
    ...(env.WORKBOOK_SERVER ? { server: env.WORKBOOK_SERVER } : {}),
    ...(env.WORKBOOK_CHECKS ? checksFromEnv(env.WORKBOOK_CHECKS) : {}),
  };
}

function checksFromEnv(text: string): { checks?: string[] } {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) && list.every((n) => typeof n === 'string') ? { checks: list } : {};
  } catch {
    return {}; // every check, as without the variable
  }
}
