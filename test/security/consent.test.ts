import { describe, expect, it } from 'vitest';
import { endAllMemberSessions } from '@/lib/orgs/member-sessions';
import { inviteMember } from '@/lib/orgs/invitations';
import { getStore } from '@/lib/store';
import { at, contextAt, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { accept, inviteToken, orgOf, orgOwnedBy, sessionRow } from '@/test/org-fixtures';

/**
 * L10 and P3: joining an org takes the person's consent. Until they accept an invitation, the
 * org has no membership for them, sees none of their sessions and can end none of them.
 *
 * These two tests were written against the old "Add a member" (lib/orgs/members.addMember, since
 * removed) and failed there: it created the user and the membership at once (see the commit
 * "L10 consent bug, proven first").
 * They now go through inviteMember, with the same assertions.
 */

/** Asks for `email` in `orgId` the way an owner can today: an invitation, emailed. */
const ask = async (actor: { userId: string; orgId: string }, email: string, role: 'admin' | 'member', now: Date) =>
  inviteMember(await contextAt(now), actor, { email, role }, (token) => `http://signet.test/invitations/${token}`);

/** What the org's admins can see of `userId` there: null unless they are a member of it. */
const memberSessions = async (orgId: string, userId: string, now: Date) => (await getStore()).listMemberSessions({ orgId, userId }, now);
const orgsOf = async (userId: string) => (await getStore()).listUserOrgs(userId);
const endAllIn = async (actor: { userId: string; orgId: string }, userId: string, now: Date) => endAllMemberSessions(await contextAt(now), actor, userId);

const T0 = new Date('2031-09-02T10:00:00.000Z');

describe('L10 org membership only by consent', () => {
  it('L10: an owner asking for an address with no account creates no user and no membership; its first sign-in lands in its own personal org, out of the org’s sight', async () => {
    const owner = await orgOwnedBy(uniqueEmail('l10-owner'), T0, { label: 'Owner laptop' });
    const orgId = owner.orgId;
    const email = uniqueEmail('l10-new');

    expect(await ask({ userId: owner.userId, orgId }, email, 'member', at(T0, 1))).toEqual({ ok: true });
    expect(await selectRows('SELECT * FROM users WHERE email = $1', [email])).toEqual([]);

    const person = await signIn(email, at(T0, 60), { label: 'Their laptop' });
    const home = await orgOf(person.sessionId);
    expect(home).not.toBe(orgId);
    expect(await orgsOf(person.userId)).toEqual([expect.objectContaining({ orgId: home, role: 'owner' })]);
    expect((await (await getStore()).listMembers(orgId, at(T0, 61))).map((m) => m.userId)).toEqual([owner.userId]);
    expect(await memberSessions(orgId, person.userId, at(T0, 61))).toBeNull();
    expect(await endAllIn({ userId: owner.userId, orgId }, person.userId, at(T0, 62))).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(person.sessionId)).revokedAt).toBeNull();
  });

  it('L10: asking for someone who already has an account enrols them in nothing and leaves their sessions alone', async () => {
    const owner = await orgOwnedBy(uniqueEmail('l10-owner'), T0);
    const orgId = owner.orgId;
    const email = uniqueEmail('l10-known');
    const person = await signIn(email, T0, { label: 'Their phone' });
    const home = await orgOf(person.sessionId);

    expect(await ask({ userId: owner.userId, orgId }, email, 'admin', at(T0, 1))).toEqual({ ok: true });
    expect((await orgsOf(person.userId)).map((o) => o.orgId)).toEqual([home]);
    expect(await memberSessions(orgId, person.userId, at(T0, 2))).toBeNull();
    expect(await endAllIn({ userId: owner.userId, orgId }, person.userId, at(T0, 2))).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(person.sessionId)).revokedAt).toBeNull();
    // Their next sign-in still lands in their own org.
    expect(await orgOf((await signIn(email, at(T0, 3))).sessionId)).toBe(home);
  });

  it('L10: once the person accepts, signed in as the invited address, the org sees the sessions in it, and only those', async () => {
    const owner = await orgOwnedBy(uniqueEmail('l10-owner'), T0);
    const email = uniqueEmail('l10-consenting');
    const token = await inviteToken({ userId: owner.userId, orgId: owner.orgId }, email, 'member', T0);
    const person = await signIn(email, at(T0, 1), { label: 'Work laptop' });
    const elsewhere = await signIn(email, at(T0, 2), { label: 'Home tablet' });
    expect(await memberSessions(owner.orgId, person.userId, at(T0, 3))).toBeNull();
    await accept(person, token, at(T0, 4));
    const visible = await memberSessions(owner.orgId, person.userId, at(T0, 5));
    expect(visible?.sessions.map((s) => s.deviceLabel)).toEqual(['Work laptop']);
    expect((await sessionRow(elsewhere.sessionId)).orgId).not.toBe(owner.orgId);
  });
});
