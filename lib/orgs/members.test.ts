import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { accept, inviteToken, joinOrg, orgOf, orgOwnedBy, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { getStore } from '../store';
import { listMembers, listOrgContacts, removeMember } from './members';

describe('org members: listing', () => {
  it('lists every member with role and live sessions in this org only', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    // An ended session and a session in the member's other org do not count.
    const scope = { kind: 'session', userId: org.admin.userId, sessionId: org.admin.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(scope, 'sign_out', now)).toEqual({ ok: true, ended: 1 });
    const elsewhere = await orgOwnedBy(uniqueEmail('elsewhere-owner'), now);
    const third = await signIn(org.member.email, now, { label: 'Third device' });
    await accept(third, await inviteToken({ userId: elsewhere.userId, orgId: elsewhere.orgId }, org.member.email, 'member', now), now);

    const members = await listMembers(org.orgId, now);
    expect(members.map((m) => [m.email, m.role, m.liveSessions])).toEqual([
      [org.owner.email, 'owner', 1],
      [org.admin.email, 'admin', 0],
      [org.member.email, 'member', 2],
    ]);
  });

  it('does not count sessions past their absolute end', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const later = at(now, 31 * 86_400);
    expect((await listMembers(org.orgId, later)).every((m) => m.liveSessions === 0)).toBe(true);
  });
});

describe('org members: what every member sees', () => {
  it('P3: the owners’ and admins’ addresses and roles, and nothing about sessions or plain members', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await listOrgContacts(org.orgId, now)).toEqual([
      { email: org.owner.email, role: 'owner' },
      { email: org.admin.email, role: 'admin' },
    ]);
  });
});

describe('org members: removing', () => {
  it('removes a member and ends their sessions in this org, not in their other orgs', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const other = await orgOwnedBy(uniqueEmail('other-owner'), now);
    const elsewhere = await signIn(org.member.email, now, { label: 'Elsewhere' });
    await accept(elsewhere, await inviteToken({ userId: other.userId, orgId: other.orgId }, org.member.email, 'member', now), now);

    expect(await removeMember(org.asAdmin, org.member.userId, at(now, 5))).toEqual({ ok: true });
    expect((await listMembers(org.orgId, now)).map((m) => m.userId)).not.toContain(org.member.userId);
    for (const id of [org.member.sessionId, org.member.phoneSessionId]) {
      expect(await sessionRow(id)).toMatchObject({ revokedReason: 'admin', revokedAt: at(now, 5).toISOString() });
    }
    expect((await sessionRow(elsewhere.sessionId)).revokedAt).toBeNull();
    const event = (await selectRows("SELECT * FROM security_events WHERE type = 'member_removed' ORDER BY id")).at(-1);
    expect(event).toMatchObject({ userId: org.member.userId, orgId: org.orgId, actorUserId: org.admin.userId });
  });

  it('an admin cannot remove an owner; a member cannot remove anyone; nobody removes themselves here', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await removeMember(org.asAdmin, org.owner.userId, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(await removeMember(org.asMember, org.admin.userId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(await removeMember(org.asOwner, org.owner.userId, now)).toEqual({ ok: false, error: 'self' });
    expect(await listMembers(org.orgId, now)).toHaveLength(3);
    expect((await sessionRow(org.owner.sessionId)).revokedAt).toBeNull();
  });

  it('an owner can remove another owner, and an admin another admin', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const coOwner = await joinOrg(org.asOwner, uniqueEmail('co-owner'), 'owner', now);
    const secondAdmin = await joinOrg(org.asOwner, uniqueEmail('second-admin'), 'admin', now);
    expect(await removeMember(org.asOwner, coOwner.userId, now)).toEqual({ ok: true });
    expect(await removeMember(org.asAdmin, secondAdmin.userId, now)).toEqual({ ok: true });
  });

  it('someone removed signs in again into their personal org, which they kept all along', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const home = (await (await getStore()).listUserOrgs(org.member.userId))[0];
    expect(home?.personal).toBe(true);
    expect(await removeMember(org.asOwner, org.member.userId, now)).toEqual({ ok: true });
    const again = await signIn(org.member.email, at(now, 60));
    expect(again.userId).toBe(org.member.userId);
    expect(await orgOf(again.sessionId)).toBe(home?.orgId);
  });
});
