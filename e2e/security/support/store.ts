/**
 * Lets a spec act on a server's database as another process of the deployment would (an
 * operator's command, a second instance): a store of its own on that database, made lib's
 * process store for the length of `work` (so lib functions use it too), then closed.
 */
import { useStore } from '../../../lib/store';
import { openPostgresStore } from '../../../lib/store/postgres';
import { openSqliteStore } from '../../../lib/store/sqlite';
import type { Store } from '../../../lib/store/types';

export type StoreTarget = { DATABASE_PATH: string } | { DATABASE_URL: string };

export async function withStore<T>(target: StoreTarget, work: (store: Store) => Promise<T>): Promise<T> {
  // Opened directly rather than through getStore(), whose engine import the spec runner cannot follow.
  const store =
    'DATABASE_URL' in target
      ? await openPostgresStore({ url: target.DATABASE_URL, poolMax: 4, connectTimeoutMs: 5_000, statementTimeoutMs: 10_000 })
      : await openSqliteStore({ file: target.DATABASE_PATH, mustExist: true });
  const restore = useStore(store);
  try {
    return await work(store);
  } finally {
    restore();
    await store.close();
  }
}
