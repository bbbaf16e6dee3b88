import { describe, expect, it } from 'vitest';
import { endAllMemberSessions, listMemberSessions } from '@/lib/orgs/member-sessions';
import { addMember, listMembers } from '@/lib/orgs/members';
import { listUserOrgs } from '@/lib/orgs/user-orgs';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { orgOf, sessionRow } from '@/test/org-fixtures';

/**
 * L10 and P3: joining an org takes the person's consent. Until they accept an invitation, the
 * org has no membership for them, sees none of their sessions and can end none of them.
 */

const T0 = new Date('2031-09-02T10:00:00.000Z');

describe('L10 org membership only by consent', () => {
  it('L10: an owner asking for an address with no account creates no user and no membership; its first sign-in lands in its own personal org, out of the org’s sight', async () => {
    const owner = await signIn(uniqueEmail('l10-owner'), T0, { label: 'Owner laptop' });
    const orgId = await orgOf(owner.sessionId);
    const email = uniqueEmail('l10-new');

    expect(await addMember({ userId: owner.userId, orgId }, { email, role: 'member' }, at(T0, 1))).toEqual({ ok: true });
    expect(await selectRows('SELECT * FROM users WHERE email = $1', [email])).toEqual([]);

    const person = await signIn(email, at(T0, 60), { label: 'Their laptop' });
    const home = await orgOf(person.sessionId);
    expect(home).not.toBe(orgId);
    expect(await listUserOrgs(person.userId)).toEqual([expect.objectContaining({ orgId: home, role: 'owner' })]);
    expect((await listMembers(orgId, at(T0, 61))).map((m) => m.userId)).toEqual([owner.userId]);
    expect(await listMemberSessions({ orgId, userId: person.userId }, at(T0, 61))).toBeNull();
    expect(await endAllMemberSessions({ userId: owner.userId, orgId }, person.userId, at(T0, 62))).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(person.sessionId)).revokedAt).toBeNull();
  });

  it('L10: asking for someone who already has an account enrols them in nothing and leaves their sessions alone', async () => {
    const owner = await signIn(uniqueEmail('l10-owner'), T0);
    const orgId = await orgOf(owner.sessionId);
    const email = uniqueEmail('l10-known');
    const person = await signIn(email, T0, { label: 'Their phone' });
    const home = await orgOf(person.sessionId);

    expect(await addMember({ userId: owner.userId, orgId }, { email, role: 'admin' }, at(T0, 1))).toEqual({ ok: true });
    expect((await listUserOrgs(person.userId)).map((o) => o.orgId)).toEqual([home]);
    expect(await listMemberSessions({ orgId, userId: person.userId }, at(T0, 2))).toBeNull();
    expect(await endAllMemberSessions({ userId: owner.userId, orgId }, person.userId, at(T0, 2))).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(person.sessionId)).revokedAt).toBeNull();
    // Their next sign-in still lands in their own org.
    expect(await orgOf((await signIn(email, at(T0, 3))).sessionId)).toBe(home);
  });
});
