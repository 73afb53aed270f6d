import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Every wait in a check has its own, shorter bound and message; these only catch a bug in a check.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most tests wait on sockets and child processes, not on the CPU: on a 2-core machine vitest
    // would run one file at a time.
    maxWorkers: 4,
  },
});
