// The SQLite engine's session check underneath: revocation by another connection or process, and the last-seen write.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkAccessToken } from '@/lib/auth/check';
import { getStore } from '@/lib/store';
import { at, contextAt, signIn, uniqueEmail } from '@/test/helpers';
import { sqliteOf, SqliteStore } from './index';

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

describe('sqlite session check: the lookup', () => {
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

describe('sqlite session check: a commit by any connection or process is seen by the very next lookup (L2)', () => {
  it('L2: another process ends the session: the very next lookup sees it ended', async () => {
    const store = await sqliteStore();
    const session = await signIn(uniqueEmail('other-process'), T0);
    expect((await find(session.sessionId))?.revokedAt).toBeNull();
    // A separate operating-system process, as `npm run keys -- retire` or a second server would be.
    const script = `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
      d.prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'admin' WHERE id = ?").run(process.argv[3], process.argv[2]); d.close();`;
    execFileSync(process.execPath, ['-e', script, store.connection.file, session.sessionId, at(T0, 5).toISOString()]);
    expect(await find(session.sessionId)).toMatchObject({ revokedAt: at(T0, 5).toISOString(), revokedReason: 'admin' });
    expect((await checkAccessToken(await contextAt(at(T0, 6)), session.tokens.accessToken)).status).toBe('ended');
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
    expect((await checkAccessToken(await contextAt(at(T0, 1)), session.tokens.accessToken)).status).toBe('none');
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
      expect((await checkAccessToken(await contextAt(later), session.tokens.accessToken)).status).toBe('valid');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    // The store's connection never sleeps inside SQLite: every wait for the lock is asynchronous.
    expect(store.connection.sqlite.pragma('busy_timeout', { simple: true })).toBe(0);
    expect((await find(session.sessionId))?.lastSeenAt).toBe(T0.toISOString());
    expect((await checkAccessToken(await contextAt(later), session.tokens.accessToken)).status).toBe('valid');
    expect((await find(session.sessionId))?.lastSeenAt).toBe(later.toISOString());
  });
});
