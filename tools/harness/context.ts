// What a checker grades, handed to it by whoever runs it (DESIGN.md, "The checked tree"): the
// tree of labs, and, for a server written in another language, the command that starts it. The
// workbook's runners set it directly; under vitest, test/setup.ts reads it from the environment
// (WORKBOOK_TARGET, WORKBOOK_SERVER), the one place a checker's context comes from there.

export interface CheckContext {
  /** `labs` (the default), `solutions`, `starters`, or a path to a folder with the NN-slug/ layout. */
  target?: string;
  /** A command that starts the lab's server instead of server.ts (`--port P --host H` appended). */
  server?: string;
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

/** The context as environment variables, for a process that reads it with `contextFromEnv`. */
export function contextToEnv(context: CheckContext): Record<string, string> {
  return {
    ...(context.target ? { WORKBOOK_TARGET: context.target } : {}),
    ...(context.server ? { WORKBOOK_SERVER: context.server } : {}),
  };
}

export function contextFromEnv(env: NodeJS.ProcessEnv): CheckContext {
  return {
    ...(env.WORKBOOK_TARGET ? { target: env.WORKBOOK_TARGET } : {}),
    ...(env.WORKBOOK_SERVER ? { server: env.WORKBOOK_SERVER } : {}),
  };
}
