import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start real Pushgateway and Prometheus processes: keep the 2-core machine from thrashing.
    maxWorkers: 2,
    reporters: ['default', './__tests__/helpers/plain-summary-reporter.ts'],
  },
});
