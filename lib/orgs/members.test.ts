import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { selectRow, selectRows } from '@/test/inspect';
import { orgOf, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { getStore } from '../store';
import { addMember, listMembers, removeMember } from './members';
import { switchSessionOrg } from './user-orgs';

describe('org members: listing', () => {
  it('lists every member with role and live sessions in this org only', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    // An ended session and a session in the member's other org do not count.
    const scope = { kind: 'session', userId: org.admin.userId, sessionId: org.admin.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(scope, 'sign_out', now)).toEqual({ ok: true, ended: 1 });
    const elsewhere = await signIn(uniqueEmail('elsewhere-owner'), now);
    const elsewhereOrg = await orgOf(elsewhere.sessionId);
    expect(await addMember({ userId: elsewhere.userId, orgId: elsewhereOrg }, { email: org.member.email, role: 'member' }, now)).toEqual({ ok: true });
    const third = await signIn(org.member.email, now, { label: 'Third device' });
    expect(await switchSessionOrg({ userId: org.member.userId, sessionId: third.sessionId, orgId: elsewhereOrg }, now)).toEqual({ ok: true });

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

describe('org members: adding', () => {
  it('adds an unknown address and a known one with the same answer, creating only the missing user', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const known = await signIn(uniqueEmail('known'), now);
    const knownEmail = (await selectRow<{ email: string }>('SELECT email FROM users WHERE id = $1', [known.userId]))?.email ?? '';
    const unknownEmail = uniqueEmail('unknown');

    const first = await addMember(org.asAdmin, { email: unknownEmail, role: 'member' }, now);
    const second = await addMember(org.asAdmin, { email: knownEmail, role: 'admin' }, now);
    expect(first).toEqual({ ok: true });
    expect(second).toEqual(first);
    expect(await selectRows('SELECT * FROM users WHERE email = $1', [unknownEmail])).toHaveLength(1);
    // The known user keeps their own org and gains this one.
    expect(await selectRows('SELECT * FROM memberships WHERE user_id = $1', [known.userId])).toHaveLength(2);
    const events = await selectRows("SELECT * FROM security_events WHERE org_id = $1 AND type = 'member_added' ORDER BY id", [org.orgId]);
    expect(events.at(-1)).toMatchObject({ userId: known.userId, actorUserId: org.admin.userId, detail: 'admin' });
  });

  it('refuses members (not_found), admins making owners (forbidden) and existing members', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await addMember(org.asMember, { email: uniqueEmail('x'), role: 'member' }, now)).toEqual({ ok: false, error: 'not_found' });
    expect(await addMember(org.asAdmin, { email: uniqueEmail('x'), role: 'owner' }, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(await addMember(org.asOwner, { email: org.member.email, role: 'admin' }, now)).toEqual({ ok: false, error: 'already_member' });
    expect(await addMember(org.asOwner, { email: uniqueEmail('co-owner'), role: 'owner' }, now)).toEqual({ ok: true });
    expect((await listMembers(org.orgId, now)).find((m) => m.userId === org.member.userId)?.role).toBe('member');
  });
});

describe('org members: removing', () => {
  it('removes a member and ends their sessions in this org, not in their other orgs', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const other = await signIn(uniqueEmail('other-owner'), now);
    const otherOrg = await orgOf(other.sessionId);
    expect(await addMember({ userId: other.userId, orgId: otherOrg }, { email: org.member.email, role: 'member' }, now)).toEqual({ ok: true });
    const elsewhere = await signIn(org.member.email, now, { label: 'Elsewhere' });
    expect(await switchSessionOrg({ userId: org.member.userId, sessionId: elsewhere.sessionId, orgId: otherOrg }, now)).toEqual({ ok: true });

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
    const coOwner = uniqueEmail('co-owner');
    const secondAdmin = uniqueEmail('second-admin');
    expect(await addMember(org.asOwner, { email: coOwner, role: 'owner' }, now)).toEqual({ ok: true });
    expect(await addMember(org.asOwner, { email: secondAdmin, role: 'admin' }, now)).toEqual({ ok: true });
    const ids = Object.fromEntries((await listMembers(org.orgId, now)).map((m) => [m.email, m.userId]));
    expect(await removeMember(org.asOwner, ids[coOwner] ?? '', now)).toEqual({ ok: true });
    expect(await removeMember(org.asAdmin, ids[secondAdmin] ?? '', now)).toEqual({ ok: true });
  });

  it('someone removed from their only org can still sign in, into a fresh personal org', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await removeMember(org.asOwner, org.member.userId, now)).toEqual({ ok: true });
    const again = await signIn(org.member.email, at(now, 60));
    expect(again.userId).toBe(org.member.userId);
    expect(await orgOf(again.sessionId)).not.toBe(org.orgId);
  });
});
