import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Reads (and, for set-ups the store has no method for, writes) the test file's own database with
 * plain SQL, whichever engine the store runs on. Write `$1, $2, …` placeholders; rows come back
 * with camelCase keys and booleans as booleans, as the store's types have them.
 */

const BOOLEAN_COLUMNS = new Set(['persistent', 'revokedElsewhere']);

type Row = Record<string, unknown>;

function camel(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    const name = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    out[name] = BOOLEAN_COLUMNS.has(name) && typeof value === 'number' ? value === 1 : typeof value === 'bigint' ? Number(value) : value;
  }
  return out;
}

let sqlite: Database.Database | undefined;
let pool: pg.Pool | undefined;

async function query(text: string, params: unknown[]): Promise<{ rows: Row[]; changes: number }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    if (!pool) {
      pool = new pg.Pool({ connectionString: url, max: 2 });
      // An idle connection ended by the server (the file's database dropped at teardown) is no test failure.
      pool.on('error', () => {});
    }
    const result = await pool.query(text, params);
    return { rows: result.rows.map((r: Row) => camel(r)), changes: result.rowCount ?? 0 };
  }
  const file = process.env.DATABASE_PATH;
  if (!file) throw new Error('no test database');
  sqlite ??= new Database(file);
  sqlite.pragma('busy_timeout = 5000');
  const statement = sqlite.prepare(text.replace(/\$\d+/g, '?'));
  const values = params.map((value) => (typeof value === 'boolean' ? Number(value) : value));
  if (statement.reader) return { rows: (statement.all(...values) as Row[]).map(camel), changes: 0 };
  return { rows: [], changes: statement.run(...values).changes };
}

export async function selectRows<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await query(text, params)).rows as T[];
}

export async function selectRow<T = Row>(text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await selectRows<T>(text, params))[0];
}

/** Runs a write the store has no method for (test set-up only); returns how many rows changed. */
export async function execute(text: string, params: unknown[] = []): Promise<number> {
  return (await query(text, params)).changes;
}

/** Closes this file's own connections (the shared setup calls it after the store's). */
export async function closeInspection(): Promise<void> {
  sqlite?.close();
  sqlite = undefined;
  await pool?.end();
  pool = undefined;
}

export type SessionRecord = {
  id: string;
  userId: string;
  orgId: string;
  kid: string;
  deviceFingerprint: string;
  deviceLabel: string | null;
  deviceType: string | null;
  accessExpiresAt: string;
  refreshExpiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  refreshGeneration: number;
  refreshRotatedAt: string;
  lastSeenAt: string;
  persistent: boolean;
  revokedElsewhere: boolean;
};

/** One session row as stored, or undefined. */
export async function sessionRow(id: string): Promise<SessionRecord | undefined> {
  return selectRow<SessionRecord>('SELECT * FROM sessions WHERE id = $1', [id]);
}

/** `SELECT count(*) AS n …` as a number (PostgreSQL answers bigint as a string). */
export async function count(text: string, params: unknown[] = []): Promise<number> {
  return Number((await selectRow<{ n: unknown }>(text, params))?.n);
}
