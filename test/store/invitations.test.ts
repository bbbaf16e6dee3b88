import { describe, expect, it } from 'vitest';
import { INVITATION_EMAILS_PER_ADDRESS_PER_DAY, INVITATIONS_PER_ORG_PER_HOUR } from '@/lib/rules';
import { getStore } from '@/lib/store';
import { count } from '@/test/inspect';
import { at, context, DAY, events, invite, iso, join, newEmail, newTokenHash, orgOwner, orgWithMembers, signIn } from './fixtures';

/** Invitations from the org's side (L10): sending one within the caps, listing, revoking, expiring. */

const T0 = new Date('2031-11-01T08:00:00.000Z');
const T1 = at(T0, 600);
const input = (email: string, role: 'owner' | 'admin' | 'member' = 'member', lifetime = 7 * DAY) => ({ email, role, tokenHash: newTokenHash(), expiresAt: at(T1, lifetime) });

describe('createInvitation', () => {
  it('L10: stores a pending invitation and nothing else: no user, no membership; known and unknown addresses get the same answer', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const unknown = newEmail('unknown');
    const known = await signIn(newEmail('known'), T0);
    const first = await store.createInvitation(org.asAdmin, input(unknown), T1);
    const second = await store.createInvitation(org.asAdmin, input(known.email), T1);
    expect(first).toEqual({ ok: true, invitationId: expect.any(String), sendMail: true, orgName: org.orgName, inviterEmail: org.emails.admin });
    expect({ ...second, invitationId: '' }).toEqual({ ...first, invitationId: '' });

    expect(await count('SELECT count(*) AS n FROM users WHERE email = $1', [unknown])).toBe(0);
    expect((await store.listUserOrgs(known.userId)).map((o) => o.orgId)).toEqual([known.orgId]);
    expect((await store.listMembers(org.orgId, T1)).map((m) => m.email)).not.toContain(known.email);
    expect(await store.listMemberSessions({ orgId: org.orgId, userId: known.userId }, T1)).toBeNull();
    expect(await store.listInvitations(org.orgId, T1)).toEqual([
      { id: expect.any(String), email: known.email, role: 'member', invitedByEmail: org.emails.admin, createdAt: iso(T1), expiresAt: iso(at(T1, 7 * DAY)), mailed: true },
      { id: expect.any(String), email: unknown, role: 'member', invitedByEmail: org.emails.admin, createdAt: iso(T1), expiresAt: iso(at(T1, 7 * DAY)), mailed: true },
    ]);
    // One event per invitation, for the org; the one to an existing account is in that person's activity too.
    const sent = (await events({ orgId: org.orgId }, 'invitation_sent')).filter((e) => e.at === iso(T1)); // not the fixture's own
    expect(sent.map((e) => [e.detail, e.actorUserId, e.userId])).toEqual([
      [`member ${known.email}`, org.admin.userId, known.userId],
      [`member ${unknown}`, org.admin.userId, null],
    ]);
    expect(await events({ userId: known.userId }, 'invitation_sent')).toMatchObject([{ orgName: org.orgName, actorEmail: org.emails.admin }]);
  });

  it('refuses: members and outsiders (not_found), admins inviting owners (forbidden), personal orgs, members, a second pending one', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const outsider = await signIn(newEmail('outsider'), T0);
    const email = newEmail('x');
    expect(await store.createInvitation(org.asMember, input(email), T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.createInvitation({ userId: outsider.userId, orgId: org.orgId }, input(email), T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.createInvitation(org.asAdmin, input(email, 'owner'), T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.createInvitation({ userId: outsider.userId, orgId: outsider.orgId }, input(email), T1)).toEqual({ ok: false, error: 'personal' });
    expect(await store.createInvitation(org.asAdmin, input(org.emails.member, 'admin'), T1)).toEqual({ ok: false, error: 'already_member' });
    expect(await store.createInvitation(org.asOwner, input(email, 'owner'), T1)).toMatchObject({ ok: true });
    expect(await store.createInvitation(org.asAdmin, input(email), T1)).toEqual({ ok: false, error: 'already_invited' });
    expect((await store.listInvitations(org.orgId, T1)).map((i) => [i.email, i.role])).toEqual([[email, 'owner']]);
    expect((await events({ orgId: org.orgId }, 'invitation_sent')).filter((e) => e.at === iso(T1))).toHaveLength(1);
  });

  it(`${INVITATIONS_PER_ORG_PER_HOUR} invitations per org per hour; the next is refused (invite_limit) until the hour has passed`, async () => {
    const store = await getStore();
    const owner = await orgOwner(newEmail('busy'), T0);
    const actor = { userId: owner.userId, orgId: owner.orgId };
    for (let i = 0; i < INVITATIONS_PER_ORG_PER_HOUR; i += 1) expect(await store.createInvitation(actor, input(newEmail(`n${i}`)), at(T1, i))).toMatchObject({ ok: true });
    expect(await store.createInvitation(actor, input(newEmail('late')), at(T1, 3599))).toEqual({ ok: false, error: 'invite_limit' });
    expect(await store.createInvitation(actor, input(newEmail('later')), at(T1, 3601))).toMatchObject({ ok: true });
  });

  it(`${INVITATION_EMAILS_PER_ADDRESS_PER_DAY} emails per address per day across orgs; past it the invitation is stored with the same answer, unmailed`, async () => {
    const store = await getStore();
    const email = newEmail('popular');
    const owners = await Promise.all(Array.from({ length: INVITATION_EMAILS_PER_ADDRESS_PER_DAY + 1 }, (_, i) => orgOwner(newEmail(`org${i}`), T0)));
    const answers = [];
    for (const [i, owner] of owners.entries()) answers.push(await store.createInvitation({ userId: owner.userId, orgId: owner.orgId }, input(email), at(T1, i)));
    expect(answers.map((a) => a.ok && a.sendMail)).toEqual([...Array<boolean>(INVITATION_EMAILS_PER_ADDRESS_PER_DAY).fill(true), false]);
    const last = owners.at(-1);
    expect((await store.listInvitations(last?.orgId ?? '', at(T1, 10)))[0]).toMatchObject({ email, mailed: false });
    const nextDay = await orgOwner(newEmail('next-day'), T0);
    expect(await store.createInvitation({ userId: nextDay.userId, orgId: nextDay.orgId }, input(email), at(T1, DAY + 1))).toMatchObject({ ok: true, sendMail: true });
  });
});

describe('revokeInvitation and expireInvitations', () => {
  it('an admin withdraws a pending invitation; it is gone from the list and recorded for both sides; not twice, not another org’s, not an owner’s', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const other = await orgOwner(newEmail('other'), T0);
    const person = await signIn(newEmail('person'), T0);
    await invite(org.asAdmin, person.email, 'member', T1);
    await invite(org.asOwner, newEmail('future-owner'), 'owner', T1);
    await invite({ userId: other.userId, orgId: other.orgId }, newEmail('elsewhere'), 'member', T1);
    const [ownerInvite, memberInvite] = await store.listInvitations(org.orgId, T1).then((list) => [list.find((i) => i.role === 'owner'), list.find((i) => i.role === 'member')]);
    const otherInvite = (await store.listInvitations(other.orgId, T1))[0];

    expect(await store.revokeInvitation(org.asAdmin, ownerInvite?.id ?? '', T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.revokeInvitation(org.asMember, memberInvite?.id ?? '', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.revokeInvitation(org.asAdmin, otherInvite?.id ?? '', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.revokeInvitation(org.asAdmin, memberInvite?.id ?? '', at(T1, 5))).toEqual({ ok: true });
    expect(await store.revokeInvitation(org.asAdmin, memberInvite?.id ?? '', at(T1, 6))).toEqual({ ok: false, error: 'not_found' });
    expect((await store.listInvitations(org.orgId, T1)).map((i) => i.role)).toEqual(['owner']);
    expect(await store.listInvitations(other.orgId, T1)).toHaveLength(1);
    expect(await events({ orgId: org.orgId }, 'invitation_revoked')).toMatchObject([{ actorUserId: org.admin.userId, userId: person.userId, detail: `member ${person.email}`, at: iso(at(T1, 5)) }]);
    expect(await events({ userId: person.userId }, 'invitation_revoked')).toHaveLength(1);
  });

  it('lapsed invitations leave the list at once and are marked expired (one org, or all), each with its event; a lapsed one no longer blocks a new one', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const person = await signIn(newEmail('slow'), T0);
    await invite(org.asAdmin, person.email, 'member', T1, 60);
    await invite(org.asAdmin, newEmail('slower'), 'admin', T1, 120);
    expect(await store.listInvitations(org.orgId, at(T1, 59))).toHaveLength(2);
    expect(await store.listInvitations(org.orgId, at(T1, 60))).toHaveLength(1);
    expect(await store.expireInvitations({ orgId: org.orgId }, at(T1, 61))).toBe(1);
    expect(await events({ userId: person.userId }, 'invitation_expired')).toMatchObject([{ orgName: org.orgName, actorUserId: null }]);
    expect(await store.expireInvitations({ all: true }, at(T1, 121))).toBeGreaterThanOrEqual(1);
    expect(await events({ orgId: org.orgId }, 'invitation_expired')).toHaveLength(2);
    expect(await store.expireInvitations({ orgId: org.orgId }, at(T1, 122))).toBe(0);
    // The address may be invited again, and its new link works.
    const again = await invite(org.asAdmin, person.email, 'member', at(T1, 200));
    expect(await store.acceptInvitation({ userId: person.userId, sessionId: person.sessionId }, again, at(T1, 201))).toEqual({ ok: true, orgId: org.orgId });
  });
});

describe('an org’s invitations reach only that org (cross-org)', () => {
  it('accepting an invitation to Y gives X’s admins nothing of that person; X’s admin still cannot end their sessions', async () => {
    const store = await getStore();
    const x = await orgWithMembers(T0);
    const y = await orgWithMembers(T0);
    const person = await join(y.asAdmin, newEmail('y-joiner'), 'member', T1);
    expect(await store.listMemberSessions({ orgId: x.orgId, userId: person.userId }, T1)).toBeNull();
    expect(await store.revoke({ kind: 'org_member', actor: x.asOwner, userId: person.userId }, 'admin', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.revoke({ kind: 'org_session', actor: x.asOwner, sessionId: person.sessionId }, 'admin', T1)).toEqual({ ok: true, ended: 0 });
    expect((await context(person.sessionId))?.revokedAt).toBeNull();
    // Nor can X's admin act on Y's invitations.
    await invite(y.asAdmin, newEmail('y-pending'), 'member', T1);
    const pending = (await store.listInvitations(y.orgId, T1))[0];
    expect(await store.revokeInvitation(x.asOwner, pending?.id ?? '', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.listInvitations(y.orgId, T1)).toHaveLength(1);
  });
});
