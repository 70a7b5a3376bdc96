import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: CLI tests start real child processes, and CI machines are shared and noisy.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Integration tests start real servers and child processes; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
