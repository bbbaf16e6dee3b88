// The SQLite engine's session check underneath: the plain-SQL lookup, its remembered rows, and the last-seen write.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checkAccessToken } from '@/lib/auth/check';
import { getKeyring } from '@/lib/auth/keys';
import { getStore } from '@/lib/store';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { forgetSessionRows, rememberedRowCount, REMEMBERED_ROWS, sqliteOf, SqliteStore } from './index';
import { memberships, orgs, sessions, users } from './schema';

const T0 = new Date('2030-06-01T12:00:00.000Z');

/** The process's store (the one lib/auth checks sessions with), which these tests look underneath. */
async function sqliteStore(): Promise<SqliteStore> {
  const store = await getStore();
  if (!(store instanceof SqliteStore)) throw new Error(`expected the SQLite store, got ${store.engine}`);
  return store;
}

async function find(sessionId: string) {
  return (await sqliteStore()).findSessionForCheck(sessionId);
}

/** The lookup as Drizzle's query builder writes it: the reference the plain-SQL statement must match. */
async function drizzleLookup(sessionId: string) {
  return (await sqliteStore()).connection.db
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
      revokedFrom: sessions.revokedFromLabel,
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

describe('sqlite session check: the plain-SQL lookup', () => {
  it('returns exactly what the Drizzle query returns, in every state a row can be in', async () => {
    const store = await sqliteStore();
    const email = uniqueEmail('lookup');
    const kept = await signIn(email, T0, { persistent: true, label: 'Laptop' });
    const browser = await signIn(email, at(T0, 10), { persistent: false, label: 'Kiosk' });
    const elsewhere = await signIn(email, at(T0, 20));
    const ended = await signIn(uniqueEmail('ended'), at(T0, 30));
    const keptOrg = (await find(kept.sessionId))?.orgId ?? '';
    // Ends browser and elsewhere, as signed out from another device.
    const others = { kind: 'other_sessions', userId: kept.userId, keepSessionId: kept.sessionId, orgId: keptOrg } as const;
    expect(await store.revoke(others, 'sign_out', at(T0, 40))).toEqual({ ok: true, ended: 2 });
    const one = { kind: 'session', userId: ended.userId, sessionId: ended.sessionId, fromSessionId: null } as const;
    expect(await store.revoke(one, 'admin', at(T0, 50))).toEqual({ ok: true, ended: 1 });
    const left = await signIn(uniqueEmail('left'), at(T0, 60));
    expect(store.connection.sqlite.prepare('DELETE FROM memberships WHERE user_id = ?').run(left.userId).changes).toBe(1);

    for (const { sessionId } of [kept, browser, elsewhere, ended, left]) {
      const reference = await drizzleLookup(sessionId);
      expect(reference).toBeDefined();
      expect(await find(sessionId)).toStrictEqual(reference);
    }
    expect(await find(kept.sessionId)).toMatchObject({ persistent: true, revokedAt: null, role: 'owner', deviceLabel: 'Laptop' });
    expect(await find(browser.sessionId)).toMatchObject({ persistent: false, revokedReason: 'sign_out', revokedElsewhere: true });
    expect(await find(ended.sessionId)).toMatchObject({ revokedReason: 'admin', revokedElsewhere: false });
    expect(await find(left.sessionId)).toMatchObject({ role: null });
  });

  it('an unknown id gives null', async () => {
    expect(await find('x'.repeat(24))).toBeNull();
  });

  it('sqliteOf refuses a transaction object instead of guessing its connection', async () => {
    const { connection } = await sqliteStore();
    expect(sqliteOf(connection.db)).toBe(connection.sqlite);
    connection.db.transaction((tx) => {
      expect(() => sqliteOf(tx)).toThrow(/not a transaction/);
    });
  });
});

describe('sqlite session check: a remembered row never outlives a commit (revocation stays immediate)', () => {
  it('with nothing committed since, the row read last time is served again', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('remembered'), T0);
    const first = await find(session.sessionId);
    expect(first).not.toBeNull();
    expect(await find(session.sessionId)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    forgetSessionRows(store);
    expect(await find(session.sessionId)).not.toBe(first);
    expect(await find(session.sessionId)).toStrictEqual(first);
  });

  it('L2: another process ends the session: the very next lookup sees it ended', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('other-process'), T0);
    expect((await find(session.sessionId))?.revokedAt).toBeNull();
    // A separate operating-system process, as `npm run keys -- retire` or a second server would be.
    const script = `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
      d.prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'admin' WHERE id = ?").run(process.argv[3], process.argv[2]); d.close();`;
    execFileSync(process.execPath, ['-e', script, store.connection.file, session.sessionId, at(T0, 5).toISOString()]);
    expect(await find(session.sessionId)).toMatchObject({ revokedAt: at(T0, 5).toISOString(), revokedReason: 'admin' });
    expect((await checkAccessToken(getKeyring(), session.tokens.accessToken, at(T0, 6), 300)).status).toBe('ended');
  });

  it('another connection of this process removes the membership: the next lookup has no role', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('other-connection'), T0);
    expect((await find(session.sessionId))?.role).toBe('owner');
    const other = new Database(store.connection.file);
    try {
      expect(other.prepare('DELETE FROM memberships WHERE user_id = ?').run(session.userId).changes).toBe(1);
    } finally {
      other.close();
    }
    expect((await find(session.sessionId))?.role).toBeNull();
    expect((await checkAccessToken(getKeyring(), session.tokens.accessToken, at(T0, 1), 300)).status).toBe('none');
  });

  it('L2: this connection ends the session (its own writes do not move data_version): the next lookup sees it', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('own-connection'), T0);
    expect((await find(session.sessionId))?.revokedAt).toBeNull();
    const scope = { kind: 'session', userId: session.userId, sessionId: session.sessionId, fromSessionId: null } as const;
    expect(await store.revoke(scope, 'sign_out', at(T0, 5))).toEqual({ ok: true, ended: 1 });
    expect((await find(session.sessionId))?.revokedReason).toBe('sign_out');
  });

  it('a row read inside a transaction that is rolled back is never remembered', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('rolled-back'), T0, { label: 'Before' });
    expect((await find(session.sessionId))?.deviceLabel).toBe('Before');
    const { sqlite } = store.connection;
    sqlite.exec('BEGIN');
    try {
      sqlite.prepare("UPDATE sessions SET device_label = 'Uncommitted' WHERE id = ?").run(session.sessionId);
      expect((await find(session.sessionId))?.deviceLabel).toBe('Uncommitted');
    } finally {
      sqlite.exec('ROLLBACK');
    }
    expect((await find(session.sessionId))?.deviceLabel).toBe('Before');
  });

  it('stays bounded: past its size the least recently used rows are forgotten', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('bounded'), T0);
    const { sqlite } = store.connection;
    const columns = `user_id, org_id, kid, device_fingerprint, device_label, device_type, access_expires_at, refresh_expires_at, created_at,
      revoked_at, revoked_reason, refresh_generation, refresh_rotated_at, last_seen_at, persistent, revoked_elsewhere`;
    const ids: string[] = [];
    sqlite.transaction(() => {
      const copy = sqlite.prepare(`INSERT INTO sessions (id, ${columns}) SELECT ?, ${columns} FROM sessions WHERE id = ?`);
      for (let i = 0; i < REMEMBERED_ROWS + 20; i += 1) {
        ids.push(`bounded-${String(i).padStart(16, '0')}`);
        copy.run(ids[i], session.sessionId);
      }
    })();
    for (const id of ids) expect((await find(id))?.userId).toBe(session.userId);
    expect(rememberedRowCount(store)).toBeLessThanOrEqual(REMEMBERED_ROWS);
    expect(rememberedRowCount(store)).toBeGreaterThanOrEqual(REMEMBERED_ROWS / 2);
  });
});

describe('sqlite session check: the last-seen write never waits for the write lock', () => {
  it('skips the write while another connection holds the lock, the check still answers, and the write happens next time', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('busy'), T0);
    const later = at(T0, 600);
    const other = new Database(store.connection.file);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(await store.touchLastSeen(session.sessionId, later, 300)).toBe('busy');
      expect((await checkAccessToken(getKeyring(), session.tokens.accessToken, later, 300)).status).toBe('valid');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    // The store's connection never sleeps inside SQLite: every wait for the lock is asynchronous.
    expect(store.connection.sqlite.pragma('busy_timeout', { simple: true })).toBe(0);
    expect((await find(session.sessionId))?.lastSeenAt).toBe(T0.toISOString());
    expect((await checkAccessToken(getKeyring(), session.tokens.accessToken, later, 300)).status).toBe('valid');
    expect((await find(session.sessionId))?.lastSeenAt).toBe(later.toISOString());
  });
});
