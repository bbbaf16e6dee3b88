import { getEnv } from './env';
import { getKeyring } from './crypto/keys';
import { getStore } from './store';

/**
 * Validates configuration, parses the keyring and opens the store: the SQLite file (migrated in
 * development, required to exist in production) or PostgreSQL (reachable and fully migrated).
 * Any failure ends the process: serving with a weak key or a missing schema would be worse.
 */
export async function assertReadyToServe(): Promise<void> {
  try {
    getEnv();
    getKeyring();
    await getStore();
  } catch (error) {
    console.error(`\nSignet cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
