import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * The conformance suite's one window onto rows the Store has no method for (how many users an
 * address has, which challenges are left). Read-only, engine-neutral: write PostgreSQL SQL with
 * `$1, $2, …` placeholders, each used once and in order (they become `?` on SQLite). Values come
 * back alike from both engines: booleans as booleans, counts as numbers, times as ISO strings.
 */

type Row = Record<string, unknown>;
const BOOLEAN_COLUMNS = new Set(['persistent', 'revoked_elsewhere']);

function normalise(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (typeof value === 'bigint') out[key] = Number(value);
    else if (BOOLEAN_COLUMNS.has(key) && typeof value === 'number') out[key] = value === 1;
    else out[key] = value;
  }
  return out;
}

export async function rows(text: string, params: unknown[] = []): Promise<Row[]> {
  if (process.env.SIGNET_TEST_ENGINE === 'postgres') {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<Row>(text, params)).rows.map(normalise);
    } finally {
      await client.end();
    }
  }
  const file = process.env.DATABASE_PATH;
  if (!file) throw new Error('no test database');
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare(text.replace(/\$\d+/g, '?')).all(...params) as Row[]).map(normalise);
  } finally {
    sqlite.close();
  }
}

/** `SELECT count(*) AS n …` as a number (PostgreSQL answers bigint as a string). */
export async function count(text: string, params: unknown[] = []): Promise<number> {
  const [row] = await rows(text, params);
  return Number(row?.n);
}
