import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    // the Python bridge's venv for the PettingZoo tests (quick when current)
    globalSetup: ['test/setup/bridgeVenv.ts'],
  },
});
