// Migrations: applying drizzle-pg/ under an advisory lock, and refusing to serve on a schema that is behind.
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { Client, type Pool } from 'pg';
import { describeTarget } from './connection';

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle-pg');

/** The pg_advisory_lock key held while migrating: any constant, the same in every release. */
const MIGRATION_LOCK_KEY = '7236996427381254753';

const MIGRATE_CONNECT_TIMEOUT_MS = 10_000;

export type MigrationReport = { applied: number; total: number };

/**
 * Applies every migration in drizzle-pg/ that the database has not recorded. Everything runs on
 * one dedicated connection holding a session-level advisory lock, so two releases migrating at
 * once take turns: the second finds the work done. Drizzle applies the pending migrations in one
 * transaction and records each in drizzle.__drizzle_migrations. Reports how many this run applied
 * and how many the database has applied in all.
 */
export async function migratePostgres(url: string, options: { migrationsFolder?: string } = {}): Promise<MigrationReport> {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: MIGRATE_CONNECT_TIMEOUT_MS, application_name: 'signet-migrate' });
  client.on('error', () => {}); // a lost connection rejects the pending query, which is reported
  try {
    await client.connect();
  } catch (error) {
    throw unreachable(url, error);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      const before = await appliedMigrations(client);
      await migrate(drizzle(client), { migrationsFolder });
      const total = (await appliedMigrations(client)).count;
      return { applied: total - before.count, total };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

type Applied = { count: number; newestCreatedAt: number | null; newestHash: string | null };

type Queryable = Pick<Client, 'query'> | Pick<Pool, 'query'>;

/** What drizzle.__drizzle_migrations records; nothing when the table does not exist yet. */
async function appliedMigrations(db: Queryable): Promise<Applied> {
  const table = await db.query<{ present: boolean }>(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return { count: 0, newestCreatedAt: null, newestHash: null };
  const result = await db.query<{ count: number; created_at: string | null; hash: string | null }>(
    `SELECT count(*)::int AS count,
            (array_agg(created_at ORDER BY created_at DESC))[1]::text AS created_at,
            (array_agg(hash ORDER BY created_at DESC))[1] AS hash
       FROM drizzle.__drizzle_migrations`,
  );
  const row = result.rows[0];
  return { count: row?.count ?? 0, newestCreatedAt: row?.created_at == null ? null : Number(row.created_at), newestHash: row?.hash ?? null };
}

/**
 * Refuses a database whose recorded migrations are behind drizzle-pg/ (or absent): the app never
 * migrates on its own, so a missing step is an operator's to take. A database ahead of this
 * release (a newer release migrated it first, during a rolling deploy) is accepted.
 */
export async function assertSchemaCurrent(pool: Pool, options: { migrationsFolder?: string } = {}): Promise<void> {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  let expected: ReturnType<typeof readMigrationFiles>;
  try {
    expected = readMigrationFiles({ migrationsFolder });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot check the PostgreSQL schema: ${migrationsFolder} is unreadable (${reason}); ship drizzle-pg/ with the app`, { cause: error });
  }
  const newest = expected.at(-1);
  const applied = await appliedMigrations(pool);
  const fix = 'run "npm run db:migrate" with DATABASE_URL set to this database';
  if (applied.count === 0) {
    throw new Error(`PostgreSQL schema is not migrated (no migrations recorded in drizzle.__drizzle_migrations): ${fix}`);
  }
  if (newest === undefined) return;
  const behind = applied.newestCreatedAt === null || applied.newestCreatedAt < newest.folderMillis || applied.count < expected.length;
  if (behind) {
    throw new Error(`PostgreSQL schema is out of date (${applied.count} of ${expected.length} migrations applied): ${fix}`);
  }
  if (applied.newestCreatedAt === newest.folderMillis && applied.newestHash !== newest.hash) {
    throw new Error(
      `PostgreSQL schema does not match drizzle-pg/: the newest migration applied has another hash than the newest file here (edited after it was applied?); deploy drizzle-pg/ as released`,
    );
  }
}

/** A connection failure, said plainly and without the URL's credentials. */
export function unreachable(url: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`cannot connect to PostgreSQL at ${describeTarget(url)}: ${reason}`, { cause: error });
}

/**
 * Creates database `name` on the server `adminUrl` names, unless it exists (`npm run dev:pg`'s
 * first run). A name is an identifier, so only letters, digits and underscores are accepted.
 */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
