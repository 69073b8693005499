import { defineConfig } from 'vitest/config';

/** Browser tests (npm run test:e2e): the real server and Debian's Chromium through playwright-core. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
