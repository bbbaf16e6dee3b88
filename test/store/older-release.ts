import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import pg from 'pg';
import { migratePostgres, MIGRATIONS_FOLDER as PG_MIGRATIONS } from '@/lib/store/postgres';
import { MIGRATIONS_FOLDER as SQLITE_MIGRATIONS, openDatabase } from '@/lib/store/sqlite';

/**
 * For the data migrations: a database migrated up to just before the migration whose tag matches
 * `firstNew`, holding rows the older release wrote (`legacy`), then brought up to date by the real
 * migrator, on the engine this Vitest project runs (PostgreSQL when DATABASE_URL is set).
 * Returns what `query` reads from the result.
 */
export async function afterUpgrade<Row>(firstNew: RegExp, legacy: string[], query: string): Promise<Row[]> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signet-upgrade-')), 'old.db');
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: migrationsBefore(SQLITE_MIGRATIONS, firstNew) });
    for (const statement of legacy) old.prepare(statement).run();
    old.close();
    const { sqlite } = openDatabase(file, { mustExist: true }); // applies the rest
    try {
      return sqlite.prepare(query).all() as Row[];
    } finally {
      sqlite.close();
    }
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  const name = `signet_upgrade_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await migratePostgres(url.toString(), { migrationsFolder: migrationsBefore(PG_MIGRATIONS, firstNew) });
    const old = new pg.Client({ connectionString: url.toString() });
    await old.connect();
    try {
      for (const statement of legacy) await old.query(statement);
      await migratePostgres(url.toString());
      return (await old.query(query)).rows as Row[];
    } finally {
      await old.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** A copy of `folder` whose journal stops before the migration whose tag matches `firstNew`. */
function migrationsBefore(folder: string, firstNew: RegExp): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'signet-migrations-'));
  fs.cpSync(folder, copy, { recursive: true });
  const journalFile = path.join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((entry) => firstNew.test(entry.tag));
  if (cut < 0) throw new Error(`no migration matches ${firstNew}`);
  fs.writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return copy;
}
