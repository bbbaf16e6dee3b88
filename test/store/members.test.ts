import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, events, iso, join, newEmail, orgWithMembers, signIn } from './fixtures';

/** An org's members as its admins see them: listMembers, listMemberSessions, removeMember. Joining is invitations.test.ts. */

const T0 = new Date('2031-10-01T12:00:00.000Z');
const T1 = at(T0, 600);

describe('listMembers', () => {
  it('owners, then admins, then members, each with their live sessions in this org', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    expect(await store.listMembers(org.orgId, T1)).toEqual([
      { userId: org.owner.userId, email: org.emails.owner, role: 'owner', joinedAt: iso(T0), liveSessions: 1 },
      { userId: org.admin.userId, email: org.emails.admin, role: 'admin', joinedAt: iso(T0), liveSessions: 1 },
      { userId: org.member.userId, email: org.emails.member, role: 'member', joinedAt: iso(T0), liveSessions: 2 },
    ]);
    await store.revoke({ kind: 'session', userId: org.member.userId, sessionId: org.memberPhone.sessionId, fromSessionId: null }, 'sign_out', T1);
    await signIn(org.emails.admin, T0, { device: { label: 'Kiosk' }, lifetimeSeconds: 60 }); // over by T1
    const counts = (await store.listMembers(org.orgId, at(T1, 1))).map((m) => [m.role, m.liveSessions]);
    expect(counts).toEqual([['owner', 1], ['admin', 1], ['member', 1]]);
  });
});

describe('listMemberSessions', () => {
  it('the member’s live sessions in this org, newest first; null for someone who is not a member', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const later = await signIn(org.emails.member, at(T0, 60), { device: { label: 'Member tablet' } });
    const listed = await store.listMemberSessions({ orgId: org.orgId, userId: org.member.userId }, T1);
    expect(listed).toMatchObject({ userId: org.member.userId, email: org.emails.member, role: 'member' });
    expect(listed?.sessions[0]).toEqual({ id: later.sessionId, deviceLabel: 'Member tablet', createdAt: iso(at(T0, 60)), lastSeenAt: iso(at(T0, 60)) });
    expect(listed?.sessions.map((s) => s.id).sort()).toEqual([later.sessionId, org.member.sessionId, org.memberPhone.sessionId].sort());

    await store.revoke({ kind: 'org_session', actor: org.asAdmin, sessionId: later.sessionId }, 'admin', T1);
    const after = await store.listMemberSessions({ orgId: org.orgId, userId: org.member.userId }, at(T1, 1));
    expect(after?.sessions.map((s) => s.id)).not.toContain(later.sessionId);
    expect(after?.sessions).toHaveLength(2);

    const outsider = await signIn(newEmail('outsider'), T0);
    expect(await store.listMemberSessions({ orgId: org.orgId, userId: outsider.userId }, T1)).toBeNull();
    expect(await store.listMemberSessions({ orgId: org.orgId, userId: 'no-such-user' }, T1)).toBeNull();
    expect(await store.listMemberSessions({ orgId: outsider.orgId, userId: org.member.userId }, T1)).toBeNull();
  });
});

describe('removeMember', () => {
  it('L7: removing a member ends their sessions here (admin), drops them from the org, and records member_removed', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    expect(await store.removeMember(org.asAdmin, org.member.userId, T1)).toEqual({ ok: true });
    for (const id of [org.member.sessionId, org.memberPhone.sessionId]) {
      expect(await context(id)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'admin', role: null });
    }
    expect((await store.listMembers(org.orgId, T1)).map((m) => m.userId)).toEqual([org.owner.userId, org.admin.userId]);
    expect(await store.listMemberSessions({ orgId: org.orgId, userId: org.member.userId }, T1)).toBeNull();
    expect(await events({ orgId: org.orgId }, 'member_removed')).toMatchObject([{ userId: org.member.userId, actorUserId: org.admin.userId, detail: 'member' }]);
    expect(await store.removeMember(org.asAdmin, org.member.userId, at(T1, 1))).toEqual({ ok: false, error: 'not_found' });
  });

  it('L7: admins cannot remove owners (forbidden), members cannot remove anyone (not_found), nobody removes themselves (self)', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    expect(await store.removeMember(org.asAdmin, org.owner.userId, T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.removeMember(org.asMember, org.admin.userId, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.removeMember(org.asAdmin, org.admin.userId, T1)).toEqual({ ok: false, error: 'self' });
    // The sole owner removing themselves would also orphan the org; either way they stay.
    expect(await store.removeMember(org.asOwner, org.owner.userId, T1)).toEqual({ ok: false, error: 'self' });
    const outsider = await signIn(newEmail('outsider'), T0);
    expect(await store.removeMember(org.asOwner, outsider.userId, T1)).toEqual({ ok: false, error: 'not_found' });
    expect((await store.listMembers(org.orgId, T1)).map((m) => m.role)).toEqual(['owner', 'admin', 'member']);
    expect(await events({ orgId: org.orgId }, 'member_removed')).toEqual([]);
    for (const s of [org.owner, org.admin, org.member]) expect((await context(s.sessionId))?.revokedAt).toBeNull();
  });

  it('an owner can remove another owner, as long as one remains', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const signed = await join(org.asOwner, newEmail('second-owner'), 'owner', at(T0, 1));
    expect(await store.removeMember({ userId: signed.userId, orgId: org.orgId }, org.owner.userId, T1)).toEqual({ ok: true });
    expect((await store.listMembers(org.orgId, T1)).filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([signed.userId]);
  });
});
