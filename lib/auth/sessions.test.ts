import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { BUSY_TIMEOUT_MS, getConnection, getDb, sqliteOf } from '../db';
import { memberships, orgs, sessions, users } from '../db/schema';
import { checkAccessToken } from './check';
import { getKeyring } from './keys';
import { findSessionContext, forgetSessionRows, rememberedRowCount, REMEMBERED_ROWS, revokeOtherSessions, revokeSession, touchSession } from './sessions';

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

describe('sessions: a remembered row never outlives a commit (revocation stays immediate)', () => {
  it('with nothing committed since, the row read last time is served again', async () => {
    const session = await signIn(uniqueEmail('remembered'), T0);
    const first = findSessionContext(getDb(), session.sessionId);
    expect(findSessionContext(getDb(), session.sessionId)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    forgetSessionRows(getDb());
    expect(findSessionContext(getDb(), session.sessionId)).not.toBe(first);
  });

  it('L2: another process ends the session: the very next lookup sees it ended', async () => {
    const session = await signIn(uniqueEmail('other-process'), T0);
    expect(findSessionContext(getDb(), session.sessionId)?.revokedAt).toBeNull();
    // A separate operating-system process, as `npm run keys -- retire` or a second server would be.
    const script = `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
      d.prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'admin' WHERE id = ?").run(process.argv[3], process.argv[2]); d.close();`;
    execFileSync(process.execPath, ['-e', script, getConnection().file, session.sessionId, at(T0, 5).toISOString()]);
    expect(findSessionContext(getDb(), session.sessionId)).toMatchObject({ revokedAt: at(T0, 5).toISOString(), revokedReason: 'admin' });
    expect((await checkAccessToken(getDb(), getKeyring(), session.tokens.accessToken, at(T0, 6), 300)).status).toBe('ended');
  });

  it('another connection of this process removes the membership: the next lookup has no role', async () => {
    const session = await signIn(uniqueEmail('other-connection'), T0);
    expect(findSessionContext(getDb(), session.sessionId)?.role).toBe('owner');
    const other = new Database(getConnection().file);
    try {
      other.prepare('DELETE FROM memberships WHERE user_id = ?').run(session.userId);
    } finally {
      other.close();
    }
    expect(findSessionContext(getDb(), session.sessionId)?.role).toBeNull();
    expect((await checkAccessToken(getDb(), getKeyring(), session.tokens.accessToken, at(T0, 1), 300)).status).toBe('none');
  });

  it('L2: this connection ends the session (its own writes do not move data_version): the next lookup sees it', async () => {
    const session = await signIn(uniqueEmail('own-connection'), T0);
    expect(findSessionContext(getDb(), session.sessionId)?.revokedAt).toBeNull();
    revokeSession(getDb(), { userId: session.userId, sessionId: session.sessionId }, 'sign_out', at(T0, 5));
    expect(findSessionContext(getDb(), session.sessionId)?.revokedReason).toBe('sign_out');
  });

  it('a row read inside a transaction that is rolled back is never remembered', async () => {
    const session = await signIn(uniqueEmail('rolled-back'), T0, { label: 'Before' });
    expect(findSessionContext(getDb(), session.sessionId)?.deviceLabel).toBe('Before');
    const sqlite = getConnection().sqlite;
    sqlite.exec('BEGIN');
    sqlite.prepare("UPDATE sessions SET device_label = 'Uncommitted' WHERE id = ?").run(session.sessionId);
    expect(findSessionContext(getDb(), session.sessionId)?.deviceLabel).toBe('Uncommitted');
    sqlite.exec('ROLLBACK');
    expect(findSessionContext(getDb(), session.sessionId)?.deviceLabel).toBe('Before');
  });

  it('stays bounded: past its size the least recently used rows are forgotten', async () => {
    const session = await signIn(uniqueEmail('bounded'), T0);
    const sqlite = getConnection().sqlite;
    const ids: string[] = [];
    sqlite.transaction(() => {
      const copy = sqlite.prepare(`INSERT INTO sessions SELECT ?, user_id, org_id, kid, device_fingerprint, device_label, access_expires_at,
        refresh_expires_at, created_at, revoked_at, revoked_reason, refresh_generation, refresh_rotated_at, last_seen_at, persistent, revoked_elsewhere, device_type
        FROM sessions WHERE id = ?`);
      for (let i = 0; i < REMEMBERED_ROWS + 20; i += 1) {
        ids.push(`bounded-${String(i).padStart(16, '0')}`);
        copy.run(ids[i], session.sessionId);
      }
    })();
    for (const id of ids) expect(findSessionContext(getDb(), id)?.userId).toBe(session.userId);
    expect(rememberedRowCount(getDb())).toBeLessThanOrEqual(REMEMBERED_ROWS);
    expect(rememberedRowCount(getDb())).toBeGreaterThanOrEqual(REMEMBERED_ROWS / 2);
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
