import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { at, signIn } from '@/test/helpers';
import { orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { checkAccessToken } from '../auth/check';
import { getKeyring } from '../auth/keys';
import { describeEnding } from '../auth/notice';
import { getDb } from '../db';
import { securityEvents } from '../db/schema';
import { randomId } from '../ids';
import { endAllMemberSessions, endMemberSession, listMemberSessions } from './member-sessions';
import { addMember, listMembers, removeMember } from './members';
import { switchSessionOrg } from './user-orgs';

const db = () => getDb();

describe('an admin and one member’s sessions', () => {
  it('lists the member’s live sessions with label, signed-in and last-active times', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const view = listMemberSessions(db(), { orgId: org.orgId, userId: org.member.userId }, now);
    expect(view?.role).toBe('member');
    expect(view?.sessions.map((s) => s.deviceLabel).sort()).toEqual(['Member laptop', 'Member phone']);
    expect(view?.sessions[0]).toMatchObject({ createdAt: now.toISOString(), lastSeenAt: now.toISOString() });
  });

  it('ends one session with reason admin, records the acting admin, and the device is told why', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const member = await signIn(org.member.email, now, { label: 'Checked laptop' });
    expect(endMemberSession(db(), org.asAdmin, member.sessionId, at(now, 1))).toEqual({ ok: true });

    expect(sessionRow(member.sessionId)).toMatchObject({ revokedReason: 'admin', revokedElsewhere: false });
    expect(sessionRow(org.member.phoneSessionId).revokedAt).toBeNull();
    const event = db().select().from(securityEvents).where(eq(securityEvents.sessionId, member.sessionId)).all().at(-1);
    expect(event).toMatchObject({ type: 'admin_revoked', userId: org.member.userId, orgId: org.orgId, actorUserId: org.admin.userId });

    const check = await checkAccessToken(db(), getKeyring(), member.tokens.accessToken, at(now, 2), 300);
    expect(check.status).toBe('ended');
    if (check.status !== 'ended') return;
    expect(describeEnding(check.notice).headline).toMatch(/^An admin of .+ ended this session$/);
  });

  it('ends all of a member’s sessions in the org, one event per device', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(endAllMemberSessions(db(), org.asOwner, org.member.userId, now)).toEqual({ ok: true });
    for (const id of [org.member.sessionId, org.member.phoneSessionId]) expect(sessionRow(id).revokedReason).toBe('admin');
    const events = db()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, 'admin_revoked'), eq(securityEvents.userId, org.member.userId)))
      .all();
    expect(events.map((e) => e.actorUserId)).toEqual([org.owner.userId, org.owner.userId]);
    expect(listMemberSessions(db(), { orgId: org.orgId, userId: org.member.userId }, now)?.sessions).toEqual([]);
  });

  it('an admin cannot end an owner’s sessions; an owner can end an admin’s', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(endMemberSession(db(), org.asAdmin, org.owner.sessionId, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(endAllMemberSessions(db(), org.asAdmin, org.owner.userId, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(sessionRow(org.owner.sessionId).revokedAt).toBeNull();
    expect(endMemberSession(db(), org.asOwner, org.admin.sessionId, now)).toEqual({ ok: true });
    expect(sessionRow(org.admin.sessionId).revokedReason).toBe('admin');
  });

  it('a member can neither list nor end anything as an admin', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(endMemberSession(db(), org.asMember, org.admin.sessionId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(endAllMemberSessions(db(), org.asMember, org.admin.userId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(sessionRow(org.admin.sessionId).revokedAt).toBeNull();
  });
});

describe('org scope: an admin of org A and the people of org B', () => {
  it('B’s ids get exactly the answers unknown ids get, and nothing in B changes', async () => {
    const now = new Date();
    const a = await orgWithMembers(now);
    const b = await orgWithMembers(now);
    const unknownUser = randomId();
    const unknownSession = randomId();

    expect(endMemberSession(db(), a.asOwner, b.member.sessionId, now)).toEqual(endMemberSession(db(), a.asOwner, unknownSession, now));
    expect(endAllMemberSessions(db(), a.asOwner, b.member.userId, now)).toEqual(endAllMemberSessions(db(), a.asOwner, unknownUser, now));
    expect(listMemberSessions(db(), { orgId: a.orgId, userId: b.member.userId }, now)).toBeNull();
    expect(listMemberSessions(db(), { orgId: a.orgId, userId: unknownUser }, now)).toBeNull();
    expect(removeMember(db(), a.asOwner, b.member.userId, now)).toEqual(removeMember(db(), a.asOwner, unknownUser, now));
    expect(removeMember(db(), a.asOwner, b.member.userId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(listMembers(db(), b.orgId, now)).toHaveLength(3);
    for (const id of [b.member.sessionId, b.member.phoneSessionId, b.owner.sessionId]) expect(sessionRow(id).revokedAt).toBeNull();
    expect(db().select().from(securityEvents).where(and(eq(securityEvents.orgId, b.orgId), eq(securityEvents.type, 'admin_revoked'))).all()).toEqual([]);
  });

  it('a person in both orgs keeps their B sessions when A’s admin ends all of theirs', async () => {
    const now = new Date();
    const a = await orgWithMembers(now);
    const b = await orgWithMembers(now);
    expect(addMember(db(), a.asOwner, { email: b.member.email, role: 'member' }, now)).toEqual({ ok: true });
    const inA = await signIn(b.member.email, now, { label: 'Working for A' });
    expect(switchSessionOrg(db(), { userId: b.member.userId, sessionId: inA.sessionId, orgId: a.orgId }, now)).toEqual({ ok: true });

    expect(endAllMemberSessions(db(), a.asOwner, b.member.userId, now)).toEqual({ ok: true });
    expect(sessionRow(inA.sessionId).revokedReason).toBe('admin');
    for (const id of [b.member.sessionId, b.member.phoneSessionId]) expect(sessionRow(id).revokedAt).toBeNull();
  });
});
