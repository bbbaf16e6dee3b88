import { eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { startChallenge } from './auth/codes';
import { getKeyring } from './auth/keys';
import { revokeSession } from './auth/sessions';
import { getConnection, getDb } from './db';
import { securityEvents, sessions, signInChallenges } from './db/schema';
import { pruneExpiredData, pruneStatements } from './prune';

const db = () => getDb();
const DAY = 86_400;
const NOW = new Date('2031-06-01T12:00:00.000Z');
const RETENTION = { now: NOW, retentionDays: 90 };

const sessionIds = () => db().select({ id: sessions.id }).from(sessions).all().map((row) => row.id).sort();
const challengeIds = () => db().select({ id: signInChallenges.id }).from(signInChallenges).all().map((row) => row.id).sort();
const eventSessions = () => db().select({ id: securityEvents.sessionId }).from(securityEvents).all().map((row) => row.id).sort();

describe('sessions:prune', () => {
  it('removes only what ended before the retention, in batches, and is idempotent', async () => {
    // 30-day sessions (test POLICY): signed in 130 days ago means expired 100 days ago.
    const expiredLongAgo = await signIn(uniqueEmail('expired-long-ago'), at(NOW, -130 * DAY));
    const revokedLongAgo = await signIn(uniqueEmail('revoked-long-ago'), at(NOW, -130 * DAY));
    revokeSession(db(), { userId: revokedLongAgo.userId, sessionId: revokedLongAgo.sessionId }, 'sign_out', at(NOW, -120 * DAY));
    const expiredRecently = await signIn(uniqueEmail('expired-recently'), at(NOW, -50 * DAY));
    const revokedRecently = await signIn(uniqueEmail('revoked-recently'), at(NOW, -50 * DAY));
    revokeSession(db(), { userId: revokedRecently.userId, sessionId: revokedRecently.sessionId }, 'sign_out', at(NOW, -20 * DAY));
    const live = await signIn(uniqueEmail('live'), at(NOW, -3600));
    const openCode = startChallenge(db(), getKeyring(), uniqueEmail('pending'), at(NOW, -7200)); // dead 2 hours, not a day

    const counts = await pruneExpiredData(db(), { ...RETENTION, batchSize: 1 });

    // Sessions: only the two that ended 100+ days ago. Challenges: every one dead for over a day.
    // Events: the sign-ins recorded 130 days ago.
    expect(counts).toEqual({ sessions: 2, challenges: 4, events: 2 });
    expect(sessionIds()).toEqual([expiredRecently.sessionId, revokedRecently.sessionId, live.sessionId].sort());
    expect(challengeIds()).toHaveLength(2);
    expect(challengeIds()).toContain(openCode.challengeId);
    expect(eventSessions()).toEqual([expiredRecently.sessionId, revokedRecently.sessionId, live.sessionId].sort());
    expect(db().select().from(sessions).where(eq(sessions.id, expiredLongAgo.sessionId)).all()).toEqual([]);

    expect(await pruneExpiredData(db(), RETENTION)).toEqual({ sessions: 0, challenges: 0, events: 0 });
  });

  it('honours a longer retention', async () => {
    const old = await signIn(uniqueEmail('kept-longer'), at(NOW, -150 * DAY)); // expired 120 days ago
    expect((await pruneExpiredData(db(), { now: NOW, retentionDays: 365 })).sessions).toBe(0);
    expect(sessionIds()).toContain(old.sessionId);
    expect((await pruneExpiredData(db(), { now: NOW, retentionDays: 100 })).sessions).toBe(1);
  });

  it('checkpoints after every batch itself, and leaves the connection’s automatic checkpoint as it was', async () => {
    const sqlite = getConnection().sqlite;
    const before = sqlite.pragma('wal_autocheckpoint', { simple: true });
    await signIn(uniqueEmail('wal-1'), at(NOW, -130 * DAY));
    await signIn(uniqueEmail('wal-2'), at(NOW, -130 * DAY));
    const spy = vi.spyOn(sqlite, 'pragma'); // records the calls, still runs them
    try {
      const counts = await pruneExpiredData(db(), { ...RETENTION, batchSize: 1 });
      const pragmas = spy.mock.calls.map(([source]) => source);
      expect(counts.sessions).toBe(2);
      // Every batch is followed by a checkpoint: here one batch per row, plus each of the four
      // steps' last, short batch (revoked sessions, expired sessions, challenges, events).
      const batches = counts.sessions + counts.challenges + counts.events + 4;
      expect(pragmas.filter((pragma) => pragma === 'wal_checkpoint(PASSIVE)')).toHaveLength(batches);
      expect(pragmas.filter((pragma) => pragma.startsWith('wal_autocheckpoint ='))).toEqual(['wal_autocheckpoint = 0', `wal_autocheckpoint = ${String(before)}`]);
    } finally {
      spy.mockRestore();
    }
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it.each([
    ['revokedSessions', 'sessions_revoked_idx'],
    ['expiredSessions', 'sessions_active_idx'],
    ['challenges', 'sign_in_challenges_expires_idx'],
    ['events', 'security_events_created_idx'],
  ] as const)('%s finds its rows through %s, never a table scan', (step, index) => {
    const plan = db()
      .all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${pruneStatements(RETENTION)[step]}`)
      .map((row) => row.detail);
    expect(plan.some((detail) => detail.includes(`USING INDEX ${index}`) || detail.includes(`USING COVERING INDEX ${index}`))).toBe(true);
    expect(plan.filter((detail) => detail.startsWith('SCAN '))).toEqual([]);
  });
});
