import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    setupFiles: ['./test/console-guard.ts'],
    globalSetup: ['./packages/cli/test/build-bundle.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on two cores: the suite fits its 10-minute budget (one worker took ~640 s).
    maxWorkers: 2,
    env: { SIGHTLINE_LOG_LEVEL: 'silent' },
  },
});
