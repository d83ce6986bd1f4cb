import { configDefaults, defineConfig } from 'vitest/config'

// Two groups, one after the other: everything else first (two files at a time), then the timing
// proofs (`*.timing.test.ts`: the open-loop client measured against queueing theory and against
// the closed loop), one file at a time on an otherwise idle machine, since a neighbour's load would
// be measured with them. `npx vitest run` (and `npm test`) runs both groups.
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/**/*.timing.test.ts'],
          // server tests spawn real processes on a 2-core machine: keep file parallelism modest
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timing',
          include: ['test/**/*.timing.test.ts'],
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
