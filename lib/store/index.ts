import { getEnv, type Env } from '../env';
import type { Store } from './types';

export type * from './types';

/**
 * The process's store: PostgreSQL when DATABASE_URL is set, else the SQLite file. Each engine is
 * imported only when chosen, so the other driver is never loaded.
 *
 * One store per process. The proxy and the app are bundled separately, so it lives on globalThis
 * under a registered symbol that both bundles (and dev hot reloads) resolve alike.
 */
const HANDLE = Symbol.for('signet.store');
type Holder = { [HANDLE]?: Promise<Store> };

export function getStore(): Promise<Store> {
  const holder = globalThis as Holder;
  const opening = (holder[HANDLE] ??= openStore(getEnv()));
  // A store that failed to open is not remembered: the next request tries again.
  opening.catch(() => {
    if (holder[HANDLE] === opening) delete holder[HANDLE];
  });
  return opening;
}

/**
 * Opens the engine `env` names. Production never invents a database (R5); operator commands pass
 * `mustExist` so they never do either.
 */
export async function openStore(env: Env, options: { mustExist?: boolean } = {}): Promise<Store> {
  if (env.DATABASE_URL) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore({
      url: env.DATABASE_URL,
      poolMax: env.PG_POOL_MAX,
      connectTimeoutMs: env.PG_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS,
    });
  }
  const { openSqliteStore } = await import('./sqlite');
  return openSqliteStore({ file: env.DATABASE_PATH, mustExist: options.mustExist ?? env.isProduction });
}

/** Closes the process's store (tests and scripts). */
export async function closeStore(): Promise<void> {
  const holder = globalThis as Holder;
  const opening = holder[HANDLE];
  delete holder[HANDLE];
  if (opening) await (await opening.catch(() => null))?.close();
}
