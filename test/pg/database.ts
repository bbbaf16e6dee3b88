import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** One test file's own database in the run's PostgreSQL: created empty, migrated by the real migrations. */
export type TestDatabase = { name: string; url: string; drop: () => Promise<void> };

export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `signet_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { migratePostgres } = await import('@/lib/store/postgres');
  await migratePostgres(url.toString());
  // FORCE: a connection a test left open must not keep the database (or the run) alive.
  return { name, url: url.toString(), drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
