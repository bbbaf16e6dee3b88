/**
 * npm run db:migrate — applies the migrations of the engine the environment selects, as a release
 * step. PostgreSQL (DATABASE_URL set): drizzle-pg/, under an advisory lock so two releases cannot
 * migrate at once; servers refuse to start on an older schema. SQLite: creates the file if needed
 * and applies drizzle/ (production servers refuse to start without the file).
 */
import { getEnv } from '../lib/env';

async function main(): Promise<void> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const { migratePostgres } = await import('../lib/store/postgres');
    const { applied, total } = await migratePostgres(env.DATABASE_URL);
    console.log(`PostgreSQL: migrated (${applied} applied now, ${total} in all)`);
    return;
  }
  const { openDatabase } = await import('../lib/store/sqlite/connection');
  const { sqlite } = openDatabase(env.DATABASE_PATH, { mustExist: false });
  const applied = sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM __drizzle_migrations').get()?.n ?? 0;
  sqlite.close();
  console.log(`${env.DATABASE_PATH}: migrated (${applied} migration${applied === 1 ? '' : 's'} applied)`);
}

main().catch((error: unknown) => {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
