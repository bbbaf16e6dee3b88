import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, one run (`npm run test:unit`, i.e. `vitest run`):
 *   sqlite   — every test, each file on its own SQLite file (test/setup.ts).
 *   postgres — the store conformance suite and the security tests again, each file on its own
 *              fresh, migrated database in one embedded PostgreSQL started for the whole run
 *              (test/pg/global-setup.ts). Outside CI a machine that cannot start it skips this
 *              project with one loud line; under CI=true that is a failure.
 * One project: `npx vitest run --project sqlite` (or `--project postgres`).
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    environment: 'node',
    pool: 'forks',
    // Vitest's default (cores - 1) is a single worker on a 2-core machine, where much of the run
    // is tests waiting out locks and timeouts: two workers halve the wall time there.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          setupFiles: ['./test/setup.ts'],
          env: { SIGNET_TEST_ENGINE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/store/**/*.test.ts', 'test/security/**/*.test.ts'],
          globalSetup: ['./test/pg/global-setup.ts'],
          setupFiles: ['./test/setup.ts'],
          // The concurrency contracts need 20 connections at once from one file's store.
          env: { SIGNET_TEST_ENGINE: 'postgres', PG_POOL_MAX: '25' },
        },
      },
    ],
  },
});
