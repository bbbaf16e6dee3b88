import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { getEnv } from '../env';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export type Connection = { sqlite: Database.Database; db: Db; file: string };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite file in WAL mode with a busy timeout and foreign keys on, then applies the
 * migrations. With `mustExist` a missing file is an error instead of a new empty database.
 */
export function openDatabase(file: string, options: { mustExist: boolean }): Connection {
  if (file !== ':memory:' && !options.mustExist) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (options.mustExist && file !== ':memory:' && !fs.existsSync(file)) {
    throw new Error(`database file ${file} does not exist; create it with "npm run db:migrate"`);
  }
  const sqlite = new Database(file, { fileMustExist: options.mustExist });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { sqlite, db, file };
}

// One connection per process. The proxy and the app are bundled separately, so the handle lives
// on globalThis under a registered symbol that both bundles (and dev hot reloads) resolve alike.
const HANDLE = Symbol.for('signet.db.connection');
type Holder = { [HANDLE]?: Connection };

/** The process-wide connection, opened and migrated on first use. */
export function getConnection(): Connection {
  const holder = globalThis as Holder;
  const existing = holder[HANDLE];
  if (existing) return existing;
  const env = getEnv();
  // Production never invents an empty database: a missing file is an operator error (R5).
  const connection = openDatabase(env.DATABASE_PATH, { mustExist: env.isProduction });
  holder[HANDLE] = connection;
  return connection;
}

export function getDb(): Db {
  return getConnection().db;
}

/**
 * The better-sqlite3 handle under a Drizzle database, for the few hot statements written in plain
 * SQL. A transaction object has no handle of its own, so it is refused rather than guessed at.
 */
export function sqliteOf(db: Db): Database.Database {
  const client: unknown = '$client' in db ? db.$client : undefined;
  if (client instanceof Database) return client;
  throw new Error('expected a database connection, not a transaction');
}

/** Closes the process-wide connection (tests and scripts). */
export function closeConnection(): void {
  const holder = globalThis as Holder;
  holder[HANDLE]?.sqlite.close();
  delete holder[HANDLE];
}
