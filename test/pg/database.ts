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
  return { name, url: url.toString(), drop: () => dropWhenIdle(adminUrl, name) };
}

/**
 * Drops the file's database once its connections have gone: a pool's end() resolves before its
 * sockets close, and killing one that is still open surfaces in this process as an unhandled
 * 57P01 error. FORCE stays as the last resort, so a connection a test left open cannot keep the
 * database (or the run) alive.
 */
async function dropWhenIdle(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (let tries = 0; tries < 50; tries += 1) {
      const open = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (Number(open.rows[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
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
