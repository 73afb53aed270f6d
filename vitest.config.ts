import { defineConfig } from 'vitest/config';
import { TEST_SETTINGS } from './tools/check/settings.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: [...TEST_SETTINGS.setupFiles],
    testTimeout: TEST_SETTINGS.testTimeout,
    hookTimeout: TEST_SETTINGS.hookTimeout,
    // Most tests wait on sockets and child processes, not on the CPU: on a 2-core machine vitest
    // would run one file at a time.
    maxWorkers: 4,
  },
});
