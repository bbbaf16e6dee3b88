import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { orgOf, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { revokeSession } from '../auth/sessions';
import { getDb } from '../db';
import { memberships, securityEvents, users } from '../db/schema';
import { addMember, listMembers, removeMember } from './members';
import { switchSessionOrg } from './user-orgs';

const db = () => getDb();

describe('org members: listing', () => {
  it('lists every member with role and live sessions in this org only', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    // An ended session and a session in the member's other org do not count.
    revokeSession(db(), { userId: org.admin.userId, sessionId: org.admin.sessionId }, 'sign_out', now);
    const elsewhere = await signIn(uniqueEmail('elsewhere-owner'), now);
    addMember(db(), { userId: elsewhere.userId, orgId: orgOf(elsewhere.sessionId) }, { email: org.member.email, role: 'member' }, now);
    const third = await signIn(org.member.email, now, { label: 'Third device' });
    expect(switchSessionOrg(db(), { userId: org.member.userId, sessionId: third.sessionId, orgId: orgOf(elsewhere.sessionId) }, now)).toEqual({ ok: true });

    const members = listMembers(db(), org.orgId, now);
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
    expect(listMembers(db(), org.orgId, later).every((m) => m.liveSessions === 0)).toBe(true);
  });
});

describe('org members: adding', () => {
  it('adds an unknown address and a known one with the same answer, creating only the missing user', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const known = await signIn(uniqueEmail('known'), now);
    const knownEmail = db().select({ email: users.email }).from(users).where(eq(users.id, known.userId)).get()?.email ?? '';
    const unknownEmail = uniqueEmail('unknown');

    const first = addMember(db(), org.asAdmin, { email: unknownEmail, role: 'member' }, now);
    const second = addMember(db(), org.asAdmin, { email: knownEmail, role: 'admin' }, now);
    expect(first).toEqual({ ok: true });
    expect(second).toEqual(first);
    expect(db().select().from(users).where(eq(users.email, unknownEmail)).all()).toHaveLength(1);
    // The known user keeps their own org and gains this one.
    expect(db().select().from(memberships).where(eq(memberships.userId, known.userId)).all()).toHaveLength(2);
    const events = db().select().from(securityEvents).where(and(eq(securityEvents.orgId, org.orgId), eq(securityEvents.type, 'member_added'))).all();
    expect(events.at(-1)).toMatchObject({ userId: known.userId, actorUserId: org.admin.userId, detail: 'admin' });
  });

  it('refuses members (not_found), admins making owners (forbidden) and existing members', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(addMember(db(), org.asMember, { email: uniqueEmail('x'), role: 'member' }, now)).toEqual({ ok: false, error: 'not_found' });
    expect(addMember(db(), org.asAdmin, { email: uniqueEmail('x'), role: 'owner' }, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(addMember(db(), org.asOwner, { email: org.member.email, role: 'admin' }, now)).toEqual({ ok: false, error: 'already_member' });
    expect(addMember(db(), org.asOwner, { email: uniqueEmail('co-owner'), role: 'owner' }, now)).toEqual({ ok: true });
    expect(listMembers(db(), org.orgId, now).find((m) => m.userId === org.member.userId)?.role).toBe('member');
  });
});

describe('org members: removing', () => {
  it('removes a member and ends their sessions in this org, not in their other orgs', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const other = await signIn(uniqueEmail('other-owner'), now);
    const otherOrg = orgOf(other.sessionId);
    addMember(db(), { userId: other.userId, orgId: otherOrg }, { email: org.member.email, role: 'member' }, now);
    const elsewhere = await signIn(org.member.email, now, { label: 'Elsewhere' });
    switchSessionOrg(db(), { userId: org.member.userId, sessionId: elsewhere.sessionId, orgId: otherOrg }, now);

    expect(removeMember(db(), org.asAdmin, org.member.userId, at(now, 5))).toEqual({ ok: true });
    expect(listMembers(db(), org.orgId, now).map((m) => m.userId)).not.toContain(org.member.userId);
    for (const id of [org.member.sessionId, org.member.phoneSessionId]) {
      expect(sessionRow(id)).toMatchObject({ revokedReason: 'admin', revokedAt: at(now, 5).toISOString() });
    }
    expect(sessionRow(elsewhere.sessionId).revokedAt).toBeNull();
    const event = db().select().from(securityEvents).where(eq(securityEvents.type, 'member_removed')).all().at(-1);
    expect(event).toMatchObject({ userId: org.member.userId, orgId: org.orgId, actorUserId: org.admin.userId });
  });

  it('an admin cannot remove an owner; a member cannot remove anyone; nobody removes themselves here', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(removeMember(db(), org.asAdmin, org.owner.userId, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(removeMember(db(), org.asMember, org.admin.userId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(removeMember(db(), org.asOwner, org.owner.userId, now)).toEqual({ ok: false, error: 'self' });
    expect(listMembers(db(), org.orgId, now)).toHaveLength(3);
    expect(sessionRow(org.owner.sessionId).revokedAt).toBeNull();
  });

  it('an owner can remove another owner, and an admin another admin', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const coOwner = uniqueEmail('co-owner');
    const secondAdmin = uniqueEmail('second-admin');
    addMember(db(), org.asOwner, { email: coOwner, role: 'owner' }, now);
    addMember(db(), org.asOwner, { email: secondAdmin, role: 'admin' }, now);
    const ids = Object.fromEntries(listMembers(db(), org.orgId, now).map((m) => [m.email, m.userId]));
    expect(removeMember(db(), org.asOwner, ids[coOwner] ?? '', now)).toEqual({ ok: true });
    expect(removeMember(db(), org.asAdmin, ids[secondAdmin] ?? '', now)).toEqual({ ok: true });
  });

  it('someone removed from their only org can still sign in, into a fresh personal org', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    removeMember(db(), org.asOwner, org.member.userId, now);
    const again = await signIn(org.member.email, at(now, 60));
    expect(again.userId).toBe(org.member.userId);
    expect(orgOf(again.sessionId)).not.toBe(org.orgId);
  });
});
