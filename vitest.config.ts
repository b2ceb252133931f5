import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The run's own temporary folder; at the end, processes left running under it are stopped and it is removed.
    globalSetup: ['tests/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/*.test.ts'],
          testTimeout: 60_000,
          // One file at a time: several suites start worker pools and the machine has 2 cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['tests/conformance/*.test.ts'],
          // The leak checks call the garbage collector to see models' memory come back without dispose().
          execArgv: ['--expose-gc'],
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'runtimes',
          include: ['tests/runtimes/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
