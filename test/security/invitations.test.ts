import { describe, expect, it } from 'vitest';
import type { OrgActor } from '@/lib/orgs/access';
import { acceptInvitation, declineInvitation, inviteMember, listPendingInvitations } from '@/lib/orgs/invitations';
import { endAllMemberSessions, endMemberSession } from '@/lib/orgs/member-sessions';
import { getStore } from '@/lib/store';
import type { Role } from '@/lib/store/model';
import { at, contextAt, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { accept, inviteToken, orgWithMembers, sessionRow } from '@/test/org-fixtures';

/**
 * L10 and P3 on a real database, with real tokens: an invitation token works once, for its
 * invited address only, and dies when revoked or expired; only owners make owners; leaving ends
 * an org's sight at once; and invitations open no way from one org into another (L7).
 */

const T0 = new Date('2031-09-03T10:00:00.000Z');
const actorOf = (s: { userId: string; sessionId: string }) => ({ userId: s.userId, sessionId: s.sessionId });

/** The org use cases, each on a context stopped at `now`. */
const memberSessions = async (orgId: string, userId: string, now: Date) => (await getStore()).listMemberSessions({ orgId, userId }, now);
const pendingIn = async (orgId: string, now: Date) => listPendingInvitations(await contextAt(now), orgId);
const revoke = async (actor: OrgActor, invitationId: string, now: Date) => (await getStore()).revokeInvitation(actor, invitationId, now);
const acceptAs = async (person: { userId: string; sessionId: string }, token: string, now: Date) => acceptInvitation(await contextAt(now), actorOf(person), token);
const declineAs = async (person: { userId: string; sessionId: string }, token: string, now: Date) => declineInvitation(await contextAt(now), actorOf(person), token);
const invite = async (actor: OrgActor, email: string, role: Role, now: Date) =>
  inviteMember(await contextAt(now), actor, { email, role }, (token) => `http://signet.test/invitations/${token}`);
const endOne = async (actor: OrgActor, sessionId: string, now: Date) => endMemberSession(await contextAt(now), actor, sessionId);
const endAll = async (actor: OrgActor, userId: string, now: Date) => endAllMemberSessions(await contextAt(now), actor, userId);

describe('L10 invitation tokens', () => {
  it('L10: works once, and only for the invited address; the database holds no working token', async () => {
    const org = await orgWithMembers(T0);
    const email = uniqueEmail('l10-invitee');
    const token = await inviteToken(org.asAdmin, email, 'member', T0);
    const stranger = await signIn(uniqueEmail('l10-stranger'), at(T0, 1));
    expect(await acceptAs(stranger, token, at(T0, 2))).toEqual({ ok: false, error: 'wrong_address' });
    expect(await declineAs(stranger, token, at(T0, 2))).toEqual({ ok: false, error: 'wrong_address' });
    expect(await memberSessions(org.orgId, stranger.userId, at(T0, 2))).toBeNull();

    const invitee = await signIn(email, at(T0, 3));
    expect(await acceptAs(invitee, token, at(T0, 4))).toEqual({ ok: true, orgId: org.orgId });
    const second = await signIn(email, at(T0, 5));
    expect(await acceptAs(second, token, at(T0, 6))).toEqual({ ok: false, error: 'closed' });
    const stored = await selectRows<Record<string, unknown>>('SELECT * FROM org_invitations WHERE email = $1', [email]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(await selectRows('SELECT * FROM security_events WHERE org_id = $1', [org.orgId]))).not.toContain(token);
  });

  it('L10: dies when revoked, and when it expires, for the right address too', async () => {
    const org = await orgWithMembers(T0);
    const revokedEmail = uniqueEmail('l10-revoked');
    const revokedToken = await inviteToken(org.asAdmin, revokedEmail, 'member', T0);
    const pending = (await pendingIn(org.orgId, at(T0, 1))).find((i) => i.email === revokedEmail);
    expect(await revoke(org.asAdmin, pending?.id ?? '', at(T0, 2))).toEqual({ ok: true });
    const revokedPerson = await signIn(revokedEmail, at(T0, 3));
    expect(await acceptAs(revokedPerson, revokedToken, at(T0, 4))).toEqual({ ok: false, error: 'closed' });

    const lateEmail = uniqueEmail('l10-late');
    const lateToken = await inviteToken(org.asAdmin, lateEmail, 'member', T0);
    const latePerson = await signIn(lateEmail, at(T0, 7 * 86_400));
    expect(await acceptAs(latePerson, lateToken, at(T0, 7 * 86_400))).toEqual({ ok: false, error: 'expired' });
    for (const person of [revokedPerson, latePerson]) expect(await memberSessions(org.orgId, person.userId, at(T0, 8 * 86_400))).toBeNull();
  });

  it('L10: an admin cannot invite someone as owner; an owner can', async () => {
    const org = await orgWithMembers(T0);
    const email = uniqueEmail('l10-would-be-owner');
    expect(await invite(org.asAdmin, email, 'owner', T0)).toEqual({ ok: false, error: 'forbidden' });
    expect(await invite(org.asMember, email, 'member', T0)).toEqual({ ok: false, error: 'not_found' });
    expect(await selectRows('SELECT * FROM org_invitations WHERE email = $1', [email])).toEqual([]);
    expect(await invite(org.asOwner, email, 'owner', T0)).toEqual({ ok: true });
  });
});

describe('P3 visibility ends with the membership', () => {
  it('P3: after leaving, the org’s admins see none of the person’s sessions and can end none of them', async () => {
    const org = await orgWithMembers(T0);
    expect(await (await getStore()).leaveOrg({ userId: org.member.userId, sessionId: org.member.sessionId, orgId: org.orgId }, at(T0, 10))).toEqual({ ok: true });
    expect(await memberSessions(org.orgId, org.member.userId, at(T0, 11))).toBeNull();
    expect(await endOne(org.asOwner, org.member.phoneSessionId, at(T0, 11))).toEqual({ ok: true }); // the silent no-op of L6/L7
    expect(await endAll(org.asOwner, org.member.userId, at(T0, 11))).toEqual({ ok: false, error: 'not_found' });
    for (const id of [org.member.sessionId, org.member.phoneSessionId]) expect(await sessionRow(id)).toMatchObject({ revokedAt: null });
    expect((await sessionRow(org.member.phoneSessionId)).orgId).not.toBe(org.orgId);
  });
});

describe('L7 cross-org, through invitations', () => {
  it('L7: a member of A who accepts an invitation to B stays out of reach of A’s admins in B, and B’s admins see nothing of their sessions in A', async () => {
    const a = await orgWithMembers(T0);
    const b = await orgWithMembers(T0);
    // A's member accepts B's invitation on a new device, which moves into B.
    const inB = await signIn(a.member.email, at(T0, 5), { label: 'Working for B' });
    await accept(inB, await inviteToken(b.asAdmin, a.member.email, 'member', at(T0, 5)), at(T0, 6));

    expect(await endOne(a.asOwner, inB.sessionId, at(T0, 7))).toEqual({ ok: true }); // nothing in A matched
    expect((await sessionRow(inB.sessionId)).revokedAt).toBeNull();
    const bView = await memberSessions(b.orgId, a.member.userId, at(T0, 7));
    expect(bView?.sessions.map((s) => s.id)).toEqual([inB.sessionId]);
    expect(await endAll(b.asAdmin, a.member.userId, at(T0, 8))).toEqual({ ok: true });
    for (const id of [a.member.sessionId, a.member.phoneSessionId]) expect((await sessionRow(id)).revokedAt).toBeNull();
    expect((await sessionRow(inB.sessionId)).revokedReason).toBe('admin');

    // A's admins cannot see, revoke or answer B's invitations either.
    const email = uniqueEmail('l7-b-invitee');
    const token = await inviteToken(b.asAdmin, email, 'member', at(T0, 9));
    const bInvitation = (await pendingIn(b.orgId, at(T0, 9))).find((i) => i.email === email);
    expect((await pendingIn(a.orgId, at(T0, 9))).map((i) => i.email)).not.toContain(email);
    expect(await revoke(a.asOwner, bInvitation?.id ?? '', at(T0, 10))).toEqual({ ok: false, error: 'not_found' });
    expect(await acceptAs(a.owner, token, at(T0, 10))).toEqual({ ok: false, error: 'wrong_address' });
    expect((await sessionRow(a.owner.sessionId)).orgId).toBe(a.orgId);
  });
});
