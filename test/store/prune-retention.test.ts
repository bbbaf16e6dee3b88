import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { inviteToken, orgOwnedBy } from '@/test/org-fixtures';
import { selectRows } from '@/test/inspect';
import { getStore } from '@/lib/store';

/**
 * prune's retention and the invitations it closes (`npm run sessions:prune`); what it deletes is
 * prune.test.ts. Alone in its file, as that one is: it deletes across the whole database.
 */
const DAY = 86_400;
const NOW = new Date('2031-06-01T12:00:00.000Z');
const RETENTION = { now: NOW, retentionDays: 90 };

const prune = async (options: { now: Date; retentionDays: number; batchSize?: number }) => (await getStore()).prune(options);
const ids = async (query: string): Promise<string[]> => (await selectRows<{ id: string | null }>(query)).map((row) => row.id ?? '').sort();
const sessionIds = () => ids('SELECT id FROM sessions');

describe('prune: retention', () => {
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
