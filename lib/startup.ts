import { getConnection } from './db';
import { getEnv } from './env';
import { getKeyring } from './auth/keys';

/**
 * Validates configuration, parses the keyring and opens (and migrates) the database. Any failure
 * ends the process: serving with a weak key or an invented empty database would be worse.
 */
export function assertReadyToServe(): void {
  try {
    getEnv();
    getKeyring();
    getConnection();
  } catch (error) {
    console.error(`\nSignet cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
