import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { checkAccessToken } from '@/lib/auth/check';
import type { Context } from '@/lib/auth/context';
import { signOutDevice, signOutOtherDevices } from '@/lib/auth/devices';
import { rotateRefreshToken } from '@/lib/auth/refresh';
import { completeSignIn, startChallenge } from '@/lib/auth/sign-in';
import { getEnv, resetEnvForTests } from '@/lib/env';
import { appContext } from '@/lib/web/context';
import { closeStore, getStore, openStore } from '@/lib/store';
import { BUSY_TIMEOUT_MS, openDatabase, openSqliteStore, SqliteStore, StoreBusyError } from '@/lib/store/sqlite';
import * as schema from '@/lib/store/sqlite/schema';
import { at, contextAt, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { closeInspection, execute, selectRow, selectRows } from '@/test/inspect';
import { actorOf, sessionRow } from './forge';

/**
 * R1–R6 on a real database. On SQLite a second connection (or a thread with its own) stands for
 * another process; those tests are about SQLite's own locking and files, so they run only there.
 * Everything else runs on both engines through the store, the lib functions and test/inspect.
 */

const T0 = new Date('2031-10-01T12:00:00.000Z');
/** Last-seen due on every check, so a check also tries that write. */
const EVERY_SECOND: Partial<Context> = { policy: { ...POLICY, lastSeenIntervalSeconds: 1 } };

const ON_POSTGRES = process.env.SIGNET_TEST_ENGINE === 'postgres';
const sqliteOnly = ON_POSTGRES ? describe.skip : describe;
const postgresOnly = ON_POSTGRES ? describe : describe.skip;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const requireHere = createRequire(import.meta.url);

/** The process's store, which these SQLite-only tests look underneath. */
async function sqliteStore(): Promise<SqliteStore> {
  const store = await getStore();
  if (!(store instanceof SqliteStore)) throw new Error(`expected the SQLite store, not ${store.engine}`);
  return store;
}

type HeldLock = {
  /** Lets the thread commit now (it commits by itself after its longest hold in any case). */
  release: () => void;
  /** Settles once the thread has committed and closed its connection. */
  released: Promise<void>;
};

/**
 * A thread with its own connection takes SQLite's write lock with an uncommitted write pending and
 * holds it until `release()` or `maxHoldMs`, whichever comes first, then commits. Resolves once
 * the lock is held. The thread blocks in Atomics.wait, never on this thread's event loop.
 */
async function holdWriteLock(file: string, maxHoldMs: number): Promise<HeldLock> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO security_events (type, detail, created_at) VALUES ('sign_in', 'lock holder', ?)").run(new Date().toISOString());
    parentPort.postMessage('locked');
    Atomics.wait(new Int32Array(workerData.flag), 0, 0, workerData.maxHoldMs);
    db.exec('COMMIT');
    db.close();
    parentPort.postMessage('released');
    `,
    { eval: true, workerData: { file, maxHoldMs, flag: flag.buffer, driver: requireHere.resolve('better-sqlite3') } },
  );
  let markReleased!: () => void;
  let failReleased!: (error: Error) => void;
  const released = new Promise<void>((resolve, reject) => {
    markReleased = resolve;
    failReleased = reject;
  });
  released.catch(() => {}); // awaited by the tests; a failure before that is reported there
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => (message === 'locked' ? resolve() : markReleased()));
    worker.on('error', (error) => {
      reject(error);
      failReleased(error);
    });
    worker.on('exit', () => failReleased(new Error('lock holder exited without committing')));
  });
  return {
    release: () => {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    },
    released,
  };
}

/**
 * Why `promise` rejected: its error's message and those of its causes (a query builder may wrap
 * the driver's error in its own), one per line. Fails the test when it resolves instead.
 */
async function rejection(promise: Promise<unknown>): Promise<string> {
  const settled = await promise.then(
    (value) => ({ rejected: false as const, value }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!settled.rejected) throw new Error(`expected a rejection, got ${JSON.stringify(settled.value)}`);
  const messages: string[] = [];
  for (let error: unknown = settled.error; error !== undefined && messages.length < 5; error = error instanceof Error ? error.cause : undefined) {
    messages.push(error instanceof Error ? error.message : JSON.stringify(error));
  }
  return messages.join('\n');
}

/** `promise`, with its settling recorded in `order` as `name` (or `name failed`); never unhandled. */
function track<T>(promise: Promise<T>, order: string[], name: string): Promise<T> {
  promise.then(
    () => order.push(name),
    () => order.push(`${name} failed`),
  );
  return promise;
}

sqliteOnly('R1 WAL, busy handling and immediate transactions (SQLite)', () => {
  it('R1: the store connection runs in WAL mode with foreign keys on and never sleeps inside SQLite; a script connection waits BUSY_TIMEOUT_MS', async () => {
    const { sqlite, file } = (await sqliteStore()).connection;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    // The store waits for the lock asynchronously (lock.ts), so SQLite's own busy handler is off.
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(0);
    expect(BUSY_TIMEOUT_MS).toBe(5000);
    const script = openDatabase(file, { mustExist: true });
    try {
      expect(script.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(script.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(script.sqlite.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    } finally {
      script.sqlite.close();
    }
  });

  it('R1: a deferred read-then-write fails with SQLITE_BUSY while another connection writes, even with a busy timeout (the hazard is real here)', async () => {
    const s = await signIn(uniqueEmail('control'), T0);
    const script = openDatabase((await sqliteStore()).connection.file, { mustExist: true });
    try {
      const lock = await holdWriteLock(script.file, 300);
      const { sqlite } = script;
      const deferred = sqlite.transaction(() => {
        const row = sqlite.prepare('SELECT refresh_generation AS gen FROM sessions WHERE id = ?').get(s.sessionId) as { gen: number };
        sqlite.prepare('UPDATE sessions SET refresh_generation = ? WHERE id = ?').run(row.gen + 1, s.sessionId);
      });
      expect(() => deferred()).toThrow(/SQLITE_BUSY|database is locked/i);
      await lock.released;
    } finally {
      script.sqlite.close();
    }
    expect((await sessionRow(s.sessionId))?.refreshGeneration).toBe(0);
  });

  it('R1: refresh, sign-in and code sending wait for the lock instead of failing (BEGIN IMMEDIATE, retried asynchronously)', async () => {
    const s = await signIn(uniqueEmail('waits'), T0);
    const challenge = await startChallenge(await contextAt(T0), uniqueEmail('waits-too'));
    const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: null, persistent: true };
    const operations: Array<[string, () => Promise<boolean>]> = [
      ['refresh', async () => (await rotateRefreshToken(await contextAt(at(T0, 60)), s.tokens.refreshToken)).ok],
      ['sign-in', async () => (await completeSignIn(await contextAt(at(T0, 61)), input)).ok],
      ['send', async () => (await startChallenge(await contextAt(at(T0, 62)), uniqueEmail('waits-three'))).code !== null],
    ];
    const { file } = (await sqliteStore()).connection;
    for (const [name, operation] of operations) {
      const lock = await holdWriteLock(file, 10_000);
      const order: string[] = [];
      try {
        const done = track(operation(), order, name);
        await pause(300); // room for many refused attempts while the lock is held (not a measurement)
        expect(order).toEqual([]); // still waiting, not failed
        order.push('release');
        lock.release();
        expect(await done).toBe(true);
        expect(order).toEqual(['release', name]);
      } finally {
        lock.release();
        await lock.released;
      }
    }
    expect(await sessionRow(s.sessionId)).toMatchObject({ refreshGeneration: 1, revokedAt: null });
  });
});

describe('R2 a database error fails closed and is not a sign-out', () => {
  it('R2: when the session lookup throws, the check and refresh throw too: never "signed out", never "invalid"', async () => {
    const s = await signIn(uniqueEmail('lookup-throws'), T0);
    const context = await contextAt(T0);
    expect((await checkAccessToken(context, s.tokens.accessToken)).status).toBe('valid');
    // Another connection breaks the database under the running store.
    await execute('ALTER TABLE sessions RENAME TO sessions_hidden');
    try {
      const missing = /no such table|relation "sessions" does not exist/;
      expect(await rejection(checkAccessToken(context, s.tokens.accessToken))).toMatch(missing);
      expect(await rejection(rotateRefreshToken(context, s.tokens.refreshToken))).toMatch(missing);
    } finally {
      await execute('ALTER TABLE sessions_hidden RENAME TO sessions');
    }
    expect((await checkAccessToken(context, s.tokens.accessToken)).status).toBe('valid');
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedAt: null, refreshGeneration: 0 });
  });

  it('R2: when PostgreSQL cannot be reached, opening the store and the context every request starts from reject within the connect timeout, naming the host and never the password', async () => {
    // Runs on both projects: it never touches this file's database, only an address nothing answers.
    const s = await signIn(uniqueEmail('unreachable'), T0);
    const connectTimeoutMs = 500;
    const url = 'postgres://signet:s3cret-pw@10.255.255.1:5432/signet';
    const unreachable = /PostgreSQL at 10\.255\.255\.1:5432\/signet/; // host:port/database, as lib/store/postgres words it

    const started = Date.now();
    const opening = openStore({ ...getEnv(), DATABASE_URL: url, PG_CONNECT_TIMEOUT_MS: connectTimeoutMs });
    const error = await opening.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(unreachable);
    expect((error as Error).message).not.toContain('s3cret-pw');
    // A generous bound, only to show it does not hang: the connect timeout plus slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(connectTimeoutMs + 4000);

    // The process's own store on that address: every request path (page, action, route handler,
    // proxy) starts from the context, which rejects (a 503), so none can say "signed out".
    const saved = { ...process.env };
    await closeStore();
    try {
      Object.assign(process.env, { DATABASE_URL: url, PG_CONNECT_TIMEOUT_MS: String(connectTimeoutMs) });
      resetEnvForTests();
      await expect(appContext()).rejects.toThrow(unreachable);
      await expect(getStore()).rejects.toThrow(unreachable);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvForTests();
      await closeStore();
    }
    expect((await checkAccessToken(await contextAt(T0), s.tokens.accessToken)).status).toBe('valid');
  });
});

sqliteOnly('R3 a failed write never reports success (SQLite)', () => {
  it('R3: on a read-only database, reads still work while revocations, refresh and sends throw rather than report success', async () => {
    const s = await signIn(uniqueEmail('read-only'), T0);
    const other = await signIn(uniqueEmail('read-only-other'), T0);
    const actor = await actorOf(s);
    const { file } = (await sqliteStore()).connection;
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const readOnly = new SqliteStore({ sqlite, db: drizzle(sqlite, { schema }), file });
    try {
      // Last-seen is due (1 s interval); that write fails quietly and the session still checks out.
      expect((await checkAccessToken(await contextAt(at(T0, 10), { ...EVERY_SECOND, store: readOnly }), s.tokens.accessToken)).status).toBe('valid');
      const context = await contextAt(T0, { store: readOnly });
      await expect(signOutDevice(context, actor, s.sessionId)).rejects.toThrow(/readonly/);
      await expect(signOutOtherDevices(context, actor)).rejects.toThrow(/readonly/);
      await expect(rotateRefreshToken(context, s.tokens.refreshToken)).rejects.toThrow(/readonly/);
      await expect(startChallenge(context, uniqueEmail('read-only-send'))).rejects.toThrow(/readonly/);
    } finally {
      sqlite.close();
    }
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedAt: null, refreshGeneration: 0, lastSeenAt: T0.toISOString() });
    expect((await sessionRow(other.sessionId))?.revokedAt).toBeNull();
  });

  it('R3: a write that cannot get the lock within BUSY_TIMEOUT_MS rejects with StoreBusyError and writes nothing', async () => {
    const s = await signIn(uniqueEmail('busy'), T0);
    const actor = await actorOf(s);
    const lock = await holdWriteLock((await sqliteStore()).connection.file, 20_000);
    try {
      const context = await contextAt(at(T0, 10));
      const [signOut, refresh] = await Promise.allSettled([signOutDevice(context, actor, s.sessionId), rotateRefreshToken(context, s.tokens.refreshToken)]);
      expect(signOut.status === 'rejected' && signOut.reason).toBeInstanceOf(StoreBusyError);
      expect(refresh.status === 'rejected' && refresh.reason).toBeInstanceOf(StoreBusyError);
    } finally {
      lock.release();
      await lock.released;
    }
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedAt: null, refreshGeneration: 0 });
    expect((await rotateRefreshToken(await contextAt(at(T0, 11)), s.tokens.refreshToken)).ok).toBe(true);
  });
});

postgresOnly('R3 a failed write never reports success (PostgreSQL)', () => {
  it('R3: on a read-only database (default_transaction_read_only), reads still work while revocations, refresh and sends reject rather than report success', async () => {
    const s = await signIn(uniqueEmail('read-only'), T0);
    const other = await signIn(uniqueEmail('read-only-other'), T0);
    const actor = await actorOf(s);
    const database = (await selectRow<{ name: string }>('SELECT current_database() AS name'))?.name;
    if (!database) throw new Error('no database name');
    await execute(`ALTER DATABASE "${database}" SET default_transaction_read_only = on`);
    await closeStore(); // the store's next connections start read-only
    try {
      expect((await checkAccessToken(await contextAt(at(T0, 10), EVERY_SECOND), s.tokens.accessToken)).status).toBe('valid');
      const context = await contextAt(T0);
      const readOnly = /read-only transaction/;
      expect(await rejection(signOutDevice(context, actor, s.sessionId))).toMatch(readOnly);
      expect(await rejection(signOutOtherDevices(context, actor))).toMatch(readOnly);
      expect(await rejection(rotateRefreshToken(context, s.tokens.refreshToken))).toMatch(readOnly);
      const address = uniqueEmail('read-only-send');
      expect(await rejection(startChallenge(context, address))).toMatch(readOnly);
      // P1: callers log error messages, so an error leaving the store names no bound value.
      const failed = await startChallenge(context, address).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(Error);
      expect(failed instanceof Error ? failed.message : '').not.toContain(address);
      expect(failed instanceof Error ? failed.message : '').not.toMatch(/params:/);
    } finally {
      await closeStore();
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        await client.query('SET default_transaction_read_only = off');
        await client.query(`ALTER DATABASE "${database}" RESET default_transaction_read_only`);
      } finally {
        await client.end();
      }
      await closeInspection(); // its connections may have started read-only
    }
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedAt: null, refreshGeneration: 0, lastSeenAt: T0.toISOString() });
    expect((await sessionRow(other.sessionId))?.revokedAt).toBeNull();
    expect((await rotateRefreshToken(await contextAt(at(T0, 11)), s.tokens.refreshToken)).ok).toBe(true);
  });
});

/** A trigger that makes every session insert fail, in the engine's own dialect. */
const FAILING_INSERT = ON_POSTGRES
  ? {
      create: [
        "CREATE FUNCTION signet_test_session_insert_fails() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION 'session insert failed'; END $fn$",
        'CREATE TRIGGER sessions_insert_fails BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION signet_test_session_insert_fails()',
      ],
      drop: ['DROP TRIGGER sessions_insert_fails ON sessions', 'DROP FUNCTION signet_test_session_insert_fails()'],
    }
  : {
      create: ["CREATE TRIGGER sessions_insert_fails BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'session insert failed'); END"],
      drop: ['DROP TRIGGER sessions_insert_fails'],
    };

describe('R4 code consumption and session creation are one transaction', () => {
  it('R4: if the session insert fails, the code, the attempt count and the account are untouched and the code still works', async () => {
    const email = uniqueEmail('insert-fails');
    const challenge = await startChallenge(await contextAt(T0), email);
    const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: null, persistent: true };
    for (const statement of FAILING_INSERT.create) await execute(statement);
    try {
      expect(await rejection(completeSignIn(await contextAt(at(T0, 1)), input))).toMatch(/session insert failed/);
      const row = await selectRow('SELECT * FROM sign_in_challenges WHERE id = $1', [challenge.challengeId]);
      expect(row).toMatchObject({ consumedAt: null, attempts: 0 });
      expect(await selectRows('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    } finally {
      for (const statement of FAILING_INSERT.drop) await execute(statement);
    }
    expect(await completeSignIn(await contextAt(at(T0, 2)), input)).toMatchObject({ ok: true, newUser: true });
  });
});

sqliteOnly('R5 no silently created database in production (SQLite)', () => {
  it('R5: opening a missing file with mustExist throws a clear message and creates nothing', async () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signet-missing-')), 'nowhere', 'signet.db');
    expect(() => openDatabase(missing, { mustExist: true })).toThrow(/does not exist.*db:migrate/);
    await expect(openSqliteStore({ file: missing, mustExist: true })).rejects.toThrow(/does not exist.*db:migrate/);
    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('R5: in production the process-wide store refuses a missing file', async () => {
    const saved = { ...process.env };
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signet-missing-')), 'signet.db');
    await closeStore();
    try {
      Object.assign(process.env, { NODE_ENV: 'production', DATABASE_PATH: missing, SMTP_URL: 'smtp://127.0.0.1:1' });
      resetEnvForTests();
      await expect(getStore()).rejects.toThrow(/does not exist/);
      expect(fs.existsSync(missing)).toBe(false);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvForTests();
      await closeStore();
    }
  });
});

postgresOnly('R5 no silently created schema in production (PostgreSQL)', () => {
  it('R5: a reachable database without the schema is refused at opening with the fix, and is left without tables (the app never migrates)', async () => {
    const adminUrl = inject('signetPgAdminUrl');
    const name = `signet_empty_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      await expect(openStore({ ...getEnv(), DATABASE_URL: url.toString() })).rejects.toThrow(/not migrated.*db:migrate/);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const tables = await client.query("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
        expect(tables.rows).toEqual([]);
      } finally {
        await client.end();
      }
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});

sqliteOnly('R6 a write waiting for the lock never holds up reads (SQLite)', () => {
  it('R6: while another process holds the write lock for ~3 s, a write through the store stays pending as session checks complete, and completes after the release', async () => {
    const reader = await signIn(uniqueEmail('r6-reader'), T0);
    const writer = await signIn(uniqueEmail('r6-writer'), T0);
    const store = await sqliteStore();
    const order: string[] = [];
    const lock = await holdWriteLock(store.connection.file, 10_000);
    try {
      const write = track(
        store.revoke({ kind: 'session', userId: writer.userId, sessionId: writer.sessionId, fromSessionId: null }, 'sign_out', at(T0, 10)),
        order,
        'write',
      );
      // Last-seen is due (1 s interval): the check tries that write too, and skips it rather than wait.
      const checked = await checkAccessToken(await contextAt(at(T0, 10), EVERY_SECOND), reader.tokens.accessToken);
      order.push('check');
      expect(checked.status).toBe('valid');
      expect(order).toEqual(['check']);
      expect(await store.findSessionForCheck(writer.sessionId)).toMatchObject({ revokedAt: null });
      order.push('lookup');
      expect(await store.touchLastSeen(reader.sessionId, at(T0, 20), 1)).toBe('busy');
      // The lock stays held for ~3 s in all, well inside the write's BUSY_TIMEOUT_MS: it keeps waiting, and
      // this timer firing shows the event loop is free meanwhile.
      await pause(3000);
      expect((await checkAccessToken(await contextAt(at(T0, 30)), reader.tokens.accessToken)).status).toBe('valid');
      order.push('check again');
      expect(order).toEqual(['check', 'lookup', 'check again']);
      order.push('release');
      lock.release();
      expect(await write).toEqual({ ok: true, ended: 1 });
      expect(order).toEqual(['check', 'lookup', 'check again', 'release', 'write']);
    } finally {
      lock.release();
      await lock.released;
    }
    expect(await sessionRow(writer.sessionId)).toMatchObject({ revokedReason: 'sign_out' });
    // The write's event was written after the lock holder's (the newest such row), never before it.
    const holder = await selectRow<{ id: number }>("SELECT id FROM security_events WHERE detail = 'lock holder' ORDER BY id DESC LIMIT 1");
    const written = await selectRow<{ id: number }>("SELECT id FROM security_events WHERE session_id = $1 AND type = 'sign_out'", [writer.sessionId]);
    expect(holder).toBeDefined();
    expect(written?.id).toBeGreaterThan(holder?.id ?? Infinity);
  });
});
