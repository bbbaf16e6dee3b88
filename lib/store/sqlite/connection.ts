// Opening a SQLite file: WAL, foreign keys, the migrations in drizzle/, and the busy timeout each user gets.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { BUSY_TIMEOUT_MS, retryWhileBusy } from './lock';
import * as schema from './schema';

export { BUSY_TIMEOUT_MS };

export type Db = BetterSQLite3Database<typeof schema>;
export type Connection = { sqlite: Database.Database; db: Db; file: string };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');

/**
 * Opens a SQLite file in WAL mode with foreign keys on and applies the migrations, for scripts,
 * benchmarks and tests. Its connection waits synchronously (up to BUSY_TIMEOUT_MS) for the write
 * lock, which suits a command-line tool and never a server: the store opens its own connection
 * with openStoreConnection. With `mustExist` a missing file is an error, not a new empty database.
 */
export function openDatabase(file: string, options: { mustExist: boolean }): Connection {
  const connection = openFile(file, options);
  try {
    connection.sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    prepareSchema(connection);
    return connection;
  } catch (error) {
    connection.sqlite.close();
    throw error;
  }
}

/**
 * The store's connection: busy_timeout = 0, so SQLite never sleeps inside a call and blocks the
 * event loop. Every write on it goes through lock.ts, which waits for the lock asynchronously; the
 * migrations at opening are retried the same way.
 */
export async function openStoreConnection(file: string, options: { mustExist: boolean }): Promise<Connection> {
  const connection = openFile(file, options);
  try {
    connection.sqlite.pragma('busy_timeout = 0');
    // The migrator rolls its own transaction back when a statement fails busy, so a retry starts clean.
    await retryWhileBusy(() => prepareSchema(connection));
    return connection;
  } catch (error) {
    connection.sqlite.close();
    throw error;
  }
}

/**
 * The better-sqlite3 handle under a Drizzle database. A transaction object has no handle of its
 * own, so it is refused rather than guessed at.
 */
export function sqliteOf(db: Db): Database.Database {
  const client: unknown = '$client' in db ? db.$client : undefined;
  if (client instanceof Database) return client;
  throw new Error('expected a database connection, not a transaction');
}

function openFile(file: string, options: { mustExist: boolean }): Connection {
  if (file !== ':memory:' && !options.mustExist) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Production never invents an empty database: a missing file is an operator error (R5).
  if (options.mustExist && file !== ':memory:' && !fs.existsSync(file)) {
    throw new Error(`database file ${file} does not exist; create it with "npm run db:migrate"`);
  }
  const sqlite = new Database(file, { fileMustExist: options.mustExist });
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return { sqlite, db: drizzle(sqlite, { schema }), file };
}

function prepareSchema(connection: Connection): void {
  connection.sqlite.pragma('journal_mode = WAL');
  migrate(connection.db, { migrationsFolder: MIGRATIONS_FOLDER });
}
