import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, DAY, newEmail, openEmail, sendCode, signIn } from './fixtures';
import { count } from '@/test/inspect';

/** prune removes what is past retention, and only that. Alone in its file: it deletes across the whole database. */

const T0 = new Date('2031-01-01T00:00:00.000Z');
const day = (n: number) => at(T0, n * DAY);

describe('prune', () => {
  it('deletes sessions ended and events recorded before the retention, challenges dead for a day; keeps the rest; batch by batch', async () => {
    const store = await getStore();
    const email = newEmail('history');
    // In time order, as they would happen. Retention 90 days from day 200: the cut-off is day 110.
    const expiredLongAgo = await signIn(email, day(20)); // ends day 50
    const endsAfterCutoff = await signIn(email, day(85)); // ends day 115
    const revokedLongAgo = await signIn(email, day(99));
    await store.revoke({ kind: 'session', userId: revokedLongAgo.userId, sessionId: revokedLongAgo.sessionId, fromSessionId: null }, 'sign_out', day(100));
    const revokedRecently = await signIn(email, day(119));
    await store.revoke({ kind: 'session', userId: revokedRecently.userId, sessionId: revokedRecently.sessionId, fromSessionId: null }, 'sign_out', day(120));
    await sendCode(email, day(150)); // never used
    const live = await signIn(email, day(195));
    const fresh = await sendCode(email, at(day(200), -3600)); // expired 50 minutes ago: kept for a day

    const options = { now: day(200), retentionDays: 90, batchSize: 2 };
    // Sessions: the one revoked on day 100 and the one that ended on day 50. Challenges: the six that
    // expired before day 199. Events: the sign-ins of days 20, 85, 99 and the sign-out of day 100.
    expect(await store.prune(options)).toEqual({ sessions: 2, challenges: 6, events: 4, invitations: 0 });

    expect(await context(expiredLongAgo.sessionId)).toBeNull();
    expect(await context(revokedLongAgo.sessionId)).toBeNull();
    for (const kept of [endsAfterCutoff, revokedRecently, live]) expect((await context(kept.sessionId))?.sessionId).toBe(kept.sessionId);
    expect(await openEmail(fresh, at(day(200), -3600 + 1))).toBe(email);
    expect(await count('SELECT count(*) AS n FROM sign_in_challenges WHERE email = $1', [email])).toBe(1);
    const left = await store.listActivity({ userId: live.userId }, 50);
    expect(left.map((row) => [row.type, row.at])).toEqual([
      ['sign_in', day(195).toISOString()],
      ['sign_out', day(120).toISOString()],
      ['sign_in', day(119).toISOString()],
    ]);
    expect((await store.listUserOrgs(live.userId)).length).toBe(1);

    // Nothing is left to prune at the same instant.
    expect(await store.prune(options)).toEqual({ sessions: 0, challenges: 0, events: 0, invitations: 0 });
  });
});
