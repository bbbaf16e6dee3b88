import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migratePostgres, MIGRATIONS_FOLDER as PG_MIGRATIONS } from '@/lib/store/postgres';
import { MIGRATIONS_FOLDER as SQLITE_MIGRATIONS, openDatabase } from '@/lib/store/sqlite';

/**
 * The backfill that gives every existing person a personal org (drizzle/0004, drizzle-pg/0003):
 * a database migrated up to just before it holds the shapes of data the old app made, then the
 * rest of the migrations run over it, on the engine this project tests.
 */

const FIRST_NEW_TAG = /org_invitations_and_personal_orgs$/;

/** A copy of `folder` whose journal stops before the invitations migration. */
function migrationsBefore(folder: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'signet-migrations-'));
  fs.cpSync(folder, copy, { recursive: true });
  const journalFile = path.join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((entry) => FIRST_NEW_TAG.test(entry.tag));
  fs.writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return copy;
}

const LEGACY = [
  // Alice signed up alone: her org becomes her personal org, name kept.
  "INSERT INTO users VALUES ('u-alice', 'alice@example.test', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO orgs VALUES ('o-alice', 'alice''s org', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO memberships VALUES ('u-alice', 'o-alice', 'owner', '2030-01-01T00:00:00.000Z')",
  // Bob signed up, then added Carol to his org: it is shared now, so Bob gets a new personal org.
  "INSERT INTO users VALUES ('u-bob', 'bob@example.test', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO orgs VALUES ('o-bob', 'bob''s org', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO memberships VALUES ('u-bob', 'o-bob', 'owner', '2030-01-01T00:00:00.000Z')",
  // Carol was added before she ever signed in: no org of her own at all.
  "INSERT INTO users VALUES ('u-carol', 'carol@example.test', '2030-01-02T00:00:00.000Z')",
  "INSERT INTO memberships VALUES ('u-carol', 'o-bob', 'member', '2030-01-02T00:00:00.000Z')",
];

type Row = { userId: string; orgId: string; name: string; role: string };
const PERSONAL = `SELECT o.personal_user_id AS "userId", o.id AS "orgId", o.name AS name, m.role AS role
  FROM orgs o JOIN memberships m ON m.org_id = o.id AND m.user_id = o.personal_user_id ORDER BY o.personal_user_id`;

function expectBackfilled(rows: Row[], orgCount: number): void {
  expect(rows.map((r) => [r.userId, r.name, r.role])).toEqual([
    ['u-alice', "alice's org", 'owner'],
    ['u-bob', "bob's org", 'owner'],
    ['u-carol', "carol's org", 'owner'],
  ]);
  expect(rows[0]?.orgId).toBe('o-alice');
  expect(rows[1]?.orgId).not.toBe('o-bob'); // shared with Carol: not Bob's alone
  expect(orgCount).toBe(4);
}

describe('personal org backfill', () => {
  it.runIf(!process.env.DATABASE_URL)('SQLite: every existing person owns exactly one personal org afterwards', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signet-backfill-')), 'old.db');
    const old = new Database(file);
    // drizzle's migrator, pointed at the journal of the release before.
    migrate(drizzle(old), { migrationsFolder: migrationsBefore(SQLITE_MIGRATIONS) });
    for (const statement of LEGACY) old.prepare(statement).run();
    old.close();

    const { sqlite } = openDatabase(file, { mustExist: true }); // applies the rest
    expectBackfilled(sqlite.prepare(PERSONAL).all() as Row[], sqlite.prepare('SELECT count(*) FROM orgs').pluck().get() as number);
    sqlite.close();
  });

  it.runIf(!!process.env.DATABASE_URL)('PostgreSQL: every existing person owns exactly one personal org afterwards', async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const name = `signet_backfill_${Date.now().toString(36)}`;
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    try {
      await migratePostgres(url.toString(), { migrationsFolder: migrationsBefore(PG_MIGRATIONS) });
      const old = new pg.Client({ connectionString: url.toString() });
      await old.connect();
      for (const statement of LEGACY) await old.query(statement);
      await migratePostgres(url.toString());
      const rows = (await old.query<Row>(PERSONAL)).rows;
      expectBackfilled(rows, Number((await old.query<{ n: string }>('SELECT count(*) AS n FROM orgs')).rows[0]?.n));
      await old.end();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
