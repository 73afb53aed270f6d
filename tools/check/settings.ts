// What vitest.config.ts tells vitest about checkers and tests, in one place, so that the fast
// runner (fast-runner.ts) runs them with the same setup file and the same time limits.
export const TEST_SETTINGS = {
  /** Run before every test file: closes what a test opened after it, and what a file shared after the file. */
  setupFiles: ['test/setup.ts'],
  // Every wait in a check has its own, shorter bound and message; these only catch a bug in a check.
  testTimeout: 30_000,
  hookTimeout: 30_000,
} as const;
