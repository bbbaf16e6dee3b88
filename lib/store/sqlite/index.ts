// The SQLite engine's entry: openSqliteStore, and what scripts, benchmarks and tests use underneath.
import { openStoreConnection } from './connection';
import { SqliteStore } from './store';

export { BUSY_TIMEOUT_MS, StoreBusyError, isBusy, withWriteLock } from './lock';
export { MIGRATIONS_FOLDER, openDatabase, sqliteOf, type Connection, type Db } from './connection';
export { CHALLENGE_RETENTION_SECONDS, pruneStatements } from '../prune';
export { PRUNE_BATCH_SIZE, PRUNE_PAUSE_MS } from './prune';
export { KEY_BATCH_SIZE } from './revoke';
export { SqliteStore };

/**
 * Opens (and migrates) the SQLite file behind the Store. With `mustExist` a missing file is
 * refused: production never invents an empty database (R5). The migrations wait for another
 * process's write lock asynchronously, like every write of the store.
 */
export async function openSqliteStore(options: { file: string; mustExist: boolean }): Promise<SqliteStore> {
  return new SqliteStore(await openStoreConnection(options.file, { mustExist: options.mustExist }));
}
