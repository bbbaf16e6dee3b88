import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { inviteToken, orgOwnedBy } from '@/test/org-fixtures';
import { selectRows } from '@/test/inspect';
import { startChallenge } from './auth/codes';
import { getKeyring } from './crypto/keys';
import { getStore } from './store';

/**
 * Housekeeping through the store (`npm run sessions:prune`), on whichever engine it runs. How the
 * SQLite engine batches, checkpoints and finds its rows is lib/store/sqlite/prune.test.ts.
 */
const DAY = 86_400;
const NOW = new Date('2031-06-01T12:00:00.000Z');
const RETENTION = { now: NOW, retentionDays: 90 };

const prune = async (options: { now: Date; retentionDays: number; batchSize?: number }) => (await getStore()).prune(options);
const ids = async (query: string): Promise<string[]> => (await selectRows<{ id: string | null }>(query)).map((row) => row.id ?? '').sort();
const sessionIds = () => ids('SELECT id FROM sessions');
const challengeIds = () => ids('SELECT id FROM sign_in_challenges');
const eventSessions = () => ids('SELECT session_id AS id FROM security_events');

async function revoke(session: { userId: string; sessionId: string }, now: Date): Promise<void> {
  const scope = { kind: 'session', userId: session.userId, sessionId: session.sessionId, fromSessionId: null } as const;
  expect(await (await getStore()).revoke(scope, 'sign_out', now)).toEqual({ ok: true, ended: 1 });
}

describe('sessions:prune', () => {
  it('removes only what ended before the retention, in batches, and is idempotent', async () => {
    // 30-day sessions (test POLICY): signed in 130 days ago means expired 100 days ago.
    const expiredLongAgo = await signIn(uniqueEmail('expired-long-ago'), at(NOW, -130 * DAY));
    const revokedLongAgo = await signIn(uniqueEmail('revoked-long-ago'), at(NOW, -130 * DAY));
    await revoke(revokedLongAgo, at(NOW, -120 * DAY));
    const expiredRecently = await signIn(uniqueEmail('expired-recently'), at(NOW, -50 * DAY));
    const revokedRecently = await signIn(uniqueEmail('revoked-recently'), at(NOW, -50 * DAY));
    await revoke(revokedRecently, at(NOW, -20 * DAY));
    const live = await signIn(uniqueEmail('live'), at(NOW, -3600));
    const openCode = await startChallenge(getKeyring(), uniqueEmail('pending'), at(NOW, -7200)); // dead 2 hours, not a day
    expect(openCode.code).not.toBeNull();

    const counts = await prune({ ...RETENTION, batchSize: 1 });

    // Sessions: only the two that ended 100+ days ago. Challenges: every one dead for over a day.
    // Events: the two sign-ins recorded 130 days ago and the sign-out recorded 120 days ago.
    expect(counts).toEqual({ sessions: 2, challenges: 4, events: 3, invitations: 0 });
    expect(await sessionIds()).toEqual([expiredRecently.sessionId, revokedRecently.sessionId, live.sessionId].sort());
    expect(await challengeIds()).toHaveLength(2);
    expect(await challengeIds()).toContain(openCode.challengeId);
    // Left: each recent sign-in, and the sign-out 20 days ago.
    expect(await eventSessions()).toEqual([expiredRecently.sessionId, revokedRecently.sessionId, revokedRecently.sessionId, live.sessionId].sort());
    expect(await selectRows('SELECT * FROM sessions WHERE id = $1', [expiredLongAgo.sessionId])).toEqual([]);

    expect(await prune(RETENTION)).toEqual({ sessions: 0, challenges: 0, events: 0, invitations: 0 });
  });

  it('honours a longer retention', async () => {
    const old = await signIn(uniqueEmail('kept-longer'), at(NOW, -150 * DAY)); // expired 120 days ago
    expect((await prune({ now: NOW, retentionDays: 365 })).sessions).toBe(0);
    expect(await sessionIds()).toContain(old.sessionId);
    expect((await prune({ now: NOW, retentionDays: 100 })).sessions).toBe(1);
    expect(await sessionIds()).not.toContain(old.sessionId);
  });

  it('marks lapsed invitations expired (with their events), then removes those closed before the retention', async () => {
    const owner = await orgOwnedBy(uniqueEmail('inviting-owner'), at(NOW, -200 * DAY));
    const actor = { userId: owner.userId, orgId: owner.orgId };
    await inviteToken(actor, uniqueEmail('long-lapsed'), 'member', at(NOW, -120 * DAY)); // lapsed 113 days ago
    await inviteToken(actor, uniqueEmail('lately-lapsed'), 'member', at(NOW, -30 * DAY)); // lapsed 23 days ago
    await inviteToken(actor, uniqueEmail('pending'), 'member', at(NOW, -1 * DAY));
    const before = await selectRows<{ status: string }>('SELECT status FROM org_invitations WHERE org_id = $1', [owner.orgId]);
    expect(before.map((row) => row.status)).toEqual(['pending', 'pending', 'pending']);

    expect((await prune(RETENTION)).invitations).toBe(1);
    const left = await selectRows<{ status: string }>('SELECT status FROM org_invitations WHERE org_id = $1 ORDER BY created_at', [owner.orgId]);
    expect(left.map((row) => row.status)).toEqual(['expired', 'pending']);
    // The expiries are recorded now (so recent), and kept with the rest of the recent history.
    const expired = await selectRows("SELECT * FROM security_events WHERE org_id = $1 AND type = 'invitation_expired'", [owner.orgId]);
    expect(expired).toHaveLength(2);
  });
});
