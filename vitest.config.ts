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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default in run mode is one worker fewer than the cores: one worker on a 2-core machine, and the
    // suite (much of it waiting on child processes and databases) then took 643 s. Two workers use both cores.
    maxWorkers: 2,
    env: { SIGHTLINE_LOG_LEVEL: 'silent' },
  },
});
