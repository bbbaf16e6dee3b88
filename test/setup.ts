import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, inject } from 'vitest';
import { generateKeyEntry } from '@/lib/crypto/keys';
import { closeStore } from '@/lib/store';

// Every test file gets its own database: a real SQLite file, migrated by the real migrations on
// first use, or (project `postgres`, SIGNET_TEST_ENGINE=postgres) a fresh PostgreSQL database in
// the run's server (test/pg/), migrated by migratePostgres before the file's tests run.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signet-test-'));
Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_PATH: path.join(dir, 'signet.db'),
  SIGNET_KEYS: `${generateKeyEntry('t2')},${generateKeyEntry('t1')}`,
  SIGNET_ORIGIN: 'http://signet.test',
  // Tests sign in hundreds of times a minute, on clocks of their own: the global send budget (C6)
  // is lifted here and proven with budgets of its own (test/store/send-budget.test.ts and others).
  CODE_SEND_BURST: '1000000',
  CODE_SENDS_PER_MINUTE: '1000000',
});
delete process.env.SMTP_URL;
// A developer's own DATABASE_URL never leaks into a test: only the postgres project sets one.
delete process.env.DATABASE_URL;

let dropDatabase: (() => Promise<void>) | undefined;

if (process.env.SIGNET_TEST_ENGINE === 'postgres') {
  const adminUrl = inject('signetPgAdminUrl');
  if (adminUrl) {
    const { createTestDatabase } = await import('./pg/database');
    const database = await createTestDatabase(adminUrl);
    process.env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  } else {
    // The server could not start (the global setup said why, once). Never fall back to SQLite.
    process.env.DATABASE_URL = 'postgres://postgresql-unavailable.invalid/skipped';
    beforeEach((context) => context.skip('PostgreSQL unavailable'));
  }
}

afterAll(async () => {
  await closeStore();
  if (dropDatabase) {
    // test/inspect.ts keeps a pool on the file's database; it must be gone before the drop.
    const inspect = await import('./inspect').catch(() => null);
    await inspect?.closeInspection?.();
    await dropDatabase();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
