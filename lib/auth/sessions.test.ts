import Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { BUSY_TIMEOUT_MS, getConnection, getDb, sqliteOf } from '../db';
import { memberships, orgs, sessions, users } from '../db/schema';
import { checkAccessToken } from './check';
import { getKeyring } from './keys';
import { findSessionContext, revokeOtherSessions, revokeSession, touchSession } from './sessions';

const T0 = new Date('2030-06-01T12:00:00.000Z');

/** The lookup as Drizzle's query builder writes it: the reference the plain-SQL statement must match. */
function drizzleLookup(sessionId: string) {
  return getDb()
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      email: users.email,
      orgId: sessions.orgId,
      orgName: orgs.name,
      role: memberships.role,
      deviceLabel: sessions.deviceLabel,
      createdAt: sessions.createdAt,
      refreshExpiresAt: sessions.refreshExpiresAt,
      revokedAt: sessions.revokedAt,
      revokedReason: sessions.revokedReason,
      revokedElsewhere: sessions.revokedElsewhere,
      lastSeenAt: sessions.lastSeenAt,
      persistent: sessions.persistent,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgs, eq(orgs.id, sessions.orgId))
    .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
    .where(eq(sessions.id, sessionId))
    .get();
}

describe('sessions: findSessionContext', () => {
  it('returns exactly what the Drizzle query returns, in every state a row can be in', async () => {
    const email = uniqueEmail('lookup');
    const kept = await signIn(email, T0, { persistent: true, label: 'Laptop' });
    const browser = await signIn(email, at(T0, 10), { persistent: false, label: 'Kiosk' });
    const elsewhere = await signIn(email, at(T0, 20));
    const ended = await signIn(uniqueEmail('ended'), at(T0, 30));
    revokeOtherSessions(getDb(), kept.userId, kept.sessionId, at(T0, 40)); // ends browser and elsewhere
    revokeSession(getDb(), { userId: ended.userId, sessionId: ended.sessionId }, 'admin', at(T0, 50));
    const left = await signIn(uniqueEmail('left'), at(T0, 60));
    getConnection().sqlite.prepare('DELETE FROM memberships WHERE user_id = ?').run(left.userId);

    for (const { sessionId } of [kept, browser, elsewhere, ended, left]) {
      const reference = drizzleLookup(sessionId);
      expect(reference).toBeDefined();
      expect(findSessionContext(getDb(), sessionId)).toStrictEqual(reference);
    }
    expect(findSessionContext(getDb(), kept.sessionId)).toMatchObject({ persistent: true, revokedAt: null, role: 'owner', deviceLabel: 'Laptop' });
    expect(findSessionContext(getDb(), browser.sessionId)).toMatchObject({ persistent: false, revokedReason: 'sign_out', revokedElsewhere: true });
    expect(findSessionContext(getDb(), ended.sessionId)).toMatchObject({ revokedReason: 'admin', revokedElsewhere: false });
    expect(findSessionContext(getDb(), left.sessionId)).toMatchObject({ role: null });
  });

  it('an unknown id gives null', () => {
    expect(findSessionContext(getDb(), 'x'.repeat(24))).toBeNull();
  });

  it('sqliteOf refuses a transaction object instead of guessing its connection', () => {
    expect(sqliteOf(getDb())).toBe(getConnection().sqlite);
    getDb().transaction((tx) => {
      expect(() => sqliteOf(tx)).toThrow(/not a transaction/);
    });
  });
});

describe('sessions: touchSession never waits for the write lock', () => {
  it('skips the write while another connection holds the lock, and the check still answers', async () => {
    const session = await signIn(uniqueEmail('busy'), T0);
    const later = at(T0, 600);
    const other = new Database(getConnection().file);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(touchSession(getDb(), session.sessionId, T0.toISOString(), 300, later)).toBe('busy');
      expect((await checkAccessToken(getDb(), getKeyring(), session.tokens.accessToken, later, 300)).status).toBe('valid');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    // The connection waits as usual for every other statement, and the write happens next time.
    expect(getConnection().sqlite.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(findSessionContext(getDb(), session.sessionId)?.lastSeenAt).toBe(T0.toISOString());
    expect(touchSession(getDb(), session.sessionId, T0.toISOString(), 300, later)).toBe('written');
    expect(findSessionContext(getDb(), session.sessionId)?.lastSeenAt).toBe(later.toISOString());
  });

  it('does not write before the interval has passed', async () => {
    const session = await signIn(uniqueEmail('not-due'), T0);
    expect(touchSession(getDb(), session.sessionId, T0.toISOString(), 300, at(T0, 299))).toBe('not_due');
  });
});

describe('sessions: revokeSession lets SQLite checkpoint', () => {
  it('runs its UPDATE … RETURNING to completion, so the automatic checkpoint follows it', async () => {
    const sqlite = getConnection().sqlite;
    const before = sqlite.pragma('wal_autocheckpoint', { simple: true });
    const devices = [];
    for (let i = 0; i < 20; i += 1) devices.push(await signIn(uniqueEmail('revoke-wal'), at(T0, i)));
    sqlite.pragma('wal_autocheckpoint = 1');
    try {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      for (const device of devices) {
        expect(revokeSession(getDb(), { userId: device.userId, sessionId: device.sessionId }, 'sign_out', at(T0, 60))).not.toBeNull();
      }
      const [state] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
      expect(state?.log).toBeLessThan(10);
    } finally {
      sqlite.pragma(`wal_autocheckpoint = ${String(before)}`);
    }
  });
});
