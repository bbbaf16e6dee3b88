import { defineConfig } from 'drizzle-kit';

// The PostgreSQL engine's migrations (lib/store/postgres/schema.ts → drizzle-pg/). Generating
// needs no database; applying them is `npm run db:migrate` with DATABASE_URL set.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/store/postgres/schema.ts',
  out: './drizzle-pg',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/signet' },
  strict: true,
  verbose: true,
});
