import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAccessToken } from '@/lib/auth/check';
import { startChallenge } from '@/lib/auth/codes';
import { getKeyring } from '@/lib/auth/keys';
import { rotateRefreshToken } from '@/lib/auth/refresh';
import { revokeOtherSessions, revokeSession } from '@/lib/auth/sessions';
import { completeSignIn } from '@/lib/auth/sign-in';
import { BUSY_TIMEOUT_MS, closeConnection, getConnection, getDb, openDatabase } from '@/lib/db';
import * as schema from '@/lib/db/schema';
import { resetEnvForTests } from '@/lib/env';
import { at, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { sessionRow } from './forge';

/** R1–R5 on a real SQLite file, with a second connection (or thread) standing for another process. */

const T0 = new Date('2031-10-01T12:00:00.000Z');
const REFRESH = { accessTtlSeconds: 900, graceSeconds: 10 };

/** Another connection to the same file, as an operator shell or a second server would hold. */
function secondConnection(): Database.Database {
  const other = new Database(getConnection().file);
  other.pragma('busy_timeout = 10000');
  return other;
}

/**
 * A thread with its own connection takes the write lock with an uncommitted write pending, holds
 * it for `holdMs`, then commits. Resolves once the lock is held; `released` once it has committed.
 */
async function holdWriteLock(holdMs: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO security_events (type, detail, created_at) VALUES ('sign_in', 'lock holder', ?)").run(new Date().toISOString());
    parentPort.postMessage('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
    db.exec('COMMIT');
    db.close();
    parentPort.postMessage('released');
    `,
    { eval: true, workerData: { file: getConnection().file, holdMs, driver: require.resolve('better-sqlite3') } },
  );
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => (message === 'locked' ? resolve() : release()));
    worker.on('error', reject);
  });
  return { released };
}

describe('R1 WAL, busy timeout and immediate transactions', () => {
  it('R1: the connection runs in WAL mode with a busy timeout and foreign keys on', () => {
    const { sqlite } = getConnection();
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('R1: a deferred read-then-write fails with SQLITE_BUSY while another connection writes (the hazard is real here)', async () => {
    const s = await signIn(uniqueEmail('control'), T0);
    const lock = await holdWriteLock(300);
    const { sqlite } = getConnection();
    const deferred = sqlite.transaction(() => {
      const row = sqlite.prepare('SELECT refresh_generation AS gen FROM sessions WHERE id = ?').get(s.sessionId) as { gen: number };
      sqlite.prepare('UPDATE sessions SET refresh_generation = ? WHERE id = ?').run(row.gen + 1, s.sessionId);
    });
    expect(() => deferred()).toThrow(/SQLITE_BUSY|database is locked/i);
    await lock.released;
  });

  it('R1: refresh, sign-in and code sending wait for the lock instead of failing (BEGIN IMMEDIATE)', async () => {
    const s = await signIn(uniqueEmail('waits'), T0);
    const email = uniqueEmail('waits-too');
    const challenge = startChallenge(getDb(), getKeyring(), email, T0);

    let lock = await holdWriteLock(300);
    const rotated = await rotateRefreshToken(getDb(), getKeyring(), s.tokens.refreshToken, REFRESH, at(T0, 60));
    expect(rotated.ok).toBe(true);
    await lock.released;

    lock = await holdWriteLock(300);
    const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: null, persistent: true };
    expect((await completeSignIn(getDb(), getKeyring(), input, POLICY, at(T0, 61))).ok).toBe(true);
    await lock.released;

    lock = await holdWriteLock(300);
    expect(startChallenge(getDb(), getKeyring(), uniqueEmail('waits-three'), at(T0, 62)).code).not.toBeNull();
    await lock.released;
  });
});

describe('R2 a database error fails closed and is not a sign-out', () => {
  let other: Database.Database | undefined;
  afterEach(() => {
    other?.exec('ALTER TABLE sessions_hidden RENAME TO sessions');
    other?.close();
    other = undefined;
  });

  it('R2: when the session lookup throws, the check and refresh throw too: never "signed out", never "invalid"', async () => {
    const s = await signIn(uniqueEmail('lookup-throws'), T0);
    expect((await checkAccessToken(getDb(), getKeyring(), s.tokens.accessToken, T0, 300)).status).toBe('valid');
    other = secondConnection();
    other.exec('ALTER TABLE sessions RENAME TO sessions_hidden');
    expect(() => checkAccessToken(getDb(), getKeyring(), s.tokens.accessToken, T0, 300)).toThrow(/no such table/);
    await expect(rotateRefreshToken(getDb(), getKeyring(), s.tokens.refreshToken, REFRESH, T0)).rejects.toThrow(/no such table/);
  });
});

describe('R3 a failed write never reports success', () => {
  it('R3: on a read-only database, reads still work while revocations throw rather than report success', async () => {
    const s = await signIn(uniqueEmail('read-only'), T0);
    const other = await signIn(uniqueEmail('read-only-other'), T0);
    const sqlite = new Database(getConnection().file, { readonly: true, fileMustExist: true });
    try {
      const readOnly = drizzle(sqlite, { schema });
      // Last-seen is due (1 s interval); that write fails quietly and the session still checks out.
      expect((await checkAccessToken(readOnly, getKeyring(), s.tokens.accessToken, at(T0, 10), 1)).status).toBe('valid');
      expect(() => revokeSession(readOnly, { userId: s.userId, sessionId: s.sessionId }, 'sign_out', T0)).toThrow(/readonly/);
      expect(() => revokeOtherSessions(readOnly, s.userId, s.sessionId, T0)).toThrow(/readonly/);
      await expect(rotateRefreshToken(readOnly, getKeyring(), s.tokens.refreshToken, REFRESH, T0)).rejects.toThrow(/readonly/);
      expect(() => startChallenge(readOnly, getKeyring(), uniqueEmail('read-only-send'), T0)).toThrow(/readonly/);
    } finally {
      sqlite.close();
    }
    expect(sessionRow(s.sessionId)?.revokedAt).toBeNull();
    expect(sessionRow(other.sessionId)?.revokedAt).toBeNull();
  });
});

describe('R4 code consumption and session creation are one transaction', () => {
  it('R4: if the session insert fails, the code, the attempt count and the account are untouched and the code still works', async () => {
    const email = uniqueEmail('insert-fails');
    const challenge = startChallenge(getDb(), getKeyring(), email, T0);
    const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: null, persistent: true };
    const other = secondConnection();
    other.exec("CREATE TRIGGER sessions_insert_fails BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'session insert failed'); END");
    try {
      await expect(completeSignIn(getDb(), getKeyring(), input, POLICY, at(T0, 1))).rejects.toThrow(/session insert failed/);
      const row = getDb().select().from(schema.signInChallenges).where(eq(schema.signInChallenges.id, challenge.challengeId)).get();
      expect(row).toMatchObject({ consumedAt: null, attempts: 0 });
      expect(getDb().select().from(schema.users).where(eq(schema.users.email, email)).get()).toBeUndefined();
    } finally {
      other.exec('DROP TRIGGER sessions_insert_fails');
      other.close();
    }
    expect((await completeSignIn(getDb(), getKeyring(), input, POLICY, at(T0, 2))).ok).toBe(true);
  });
});

describe('R5 no silently created database in production', () => {
  it('R5: opening a missing file with mustExist throws a clear message and creates nothing', () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signet-missing-')), 'nowhere', 'signet.db');
    expect(() => openDatabase(missing, { mustExist: true })).toThrow(/does not exist.*db:migrate/);
    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('R5: in production the process-wide connection refuses a missing file', () => {
    const saved = { ...process.env };
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signet-missing-')), 'signet.db');
    closeConnection();
    try {
      Object.assign(process.env, { NODE_ENV: 'production', DATABASE_PATH: missing, SMTP_URL: 'smtp://127.0.0.1:1' });
      resetEnvForTests();
      expect(() => getConnection()).toThrow(/does not exist/);
      expect(fs.existsSync(missing)).toBe(false);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvForTests();
      closeConnection();
    }
  });
});
