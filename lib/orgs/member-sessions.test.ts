import { describe, expect, it } from 'vitest';
import { at, signIn } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { accept, inviteToken, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { checkAccessToken } from '../auth/check';
import { getKeyring } from '../crypto/keys';
import { describeEnding } from '../web/notice';
import { randomId } from '../ids';
import { endAllMemberSessions, endMemberSession, listMemberSessions } from './member-sessions';
import { listMembers, removeMember } from './members';

describe('an admin and one member’s sessions', () => {
  it('lists the member’s live sessions with label, signed-in and last-active times', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const view = await listMemberSessions({ orgId: org.orgId, userId: org.member.userId }, now);
    expect(view?.role).toBe('member');
    expect(view?.sessions.map((s) => s.deviceLabel).sort()).toEqual(['Member laptop', 'Member phone']);
    expect(view?.sessions[0]).toMatchObject({ createdAt: now.toISOString(), lastSeenAt: now.toISOString() });
  });

  it('ends one session with reason admin, records the acting admin, and the device is told why', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const member = await signIn(org.member.email, now, { label: 'Checked laptop' });
    expect(await endMemberSession(org.asAdmin, member.sessionId, at(now, 1))).toEqual({ ok: true });

    expect(await sessionRow(member.sessionId)).toMatchObject({ revokedReason: 'admin', revokedElsewhere: false });
    expect((await sessionRow(org.member.phoneSessionId)).revokedAt).toBeNull();
    const event = (await selectRows('SELECT * FROM security_events WHERE session_id = $1 ORDER BY id', [member.sessionId])).at(-1);
    expect(event).toMatchObject({ type: 'admin_revoked', userId: org.member.userId, orgId: org.orgId, actorUserId: org.admin.userId });

    const check = await checkAccessToken(getKeyring(), member.tokens.accessToken, at(now, 2), 300);
    expect(check.status).toBe('ended');
    if (check.status !== 'ended') return;
    expect(describeEnding(check.notice).headline).toMatch(/^An admin of .+ ended this session$/);
  });

  it('ends all of a member’s sessions in the org, one event per device', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await endAllMemberSessions(org.asOwner, org.member.userId, now)).toEqual({ ok: true });
    for (const id of [org.member.sessionId, org.member.phoneSessionId]) expect((await sessionRow(id)).revokedReason).toBe('admin');
    const events = await selectRows<{ actorUserId: string | null }>("SELECT * FROM security_events WHERE type = 'admin_revoked' AND user_id = $1 ORDER BY id", [
      org.member.userId,
    ]);
    expect(events.map((e) => e.actorUserId)).toEqual([org.owner.userId, org.owner.userId]);
    expect((await listMemberSessions({ orgId: org.orgId, userId: org.member.userId }, now))?.sessions).toEqual([]);
  });

  it('an admin cannot end an owner’s sessions; an owner can end an admin’s', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await endMemberSession(org.asAdmin, org.owner.sessionId, now)).toEqual({ ok: false, error: 'forbidden' });
    expect(await endAllMemberSessions(org.asAdmin, org.owner.userId, now)).toEqual({ ok: false, error: 'forbidden' });
    expect((await sessionRow(org.owner.sessionId)).revokedAt).toBeNull();
    expect(await endMemberSession(org.asOwner, org.admin.sessionId, now)).toEqual({ ok: true });
    expect((await sessionRow(org.admin.sessionId)).revokedReason).toBe('admin');
  });

  it('a member can neither list nor end anything as an admin', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await endMemberSession(org.asMember, org.admin.sessionId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(await endAllMemberSessions(org.asMember, org.admin.userId, now)).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(org.admin.sessionId)).revokedAt).toBeNull();
  });
});

describe('org scope: an admin of org A and the people of org B', () => {
  it('B’s ids get exactly the answers unknown ids get, and nothing in B changes', async () => {
    const now = new Date();
    const a = await orgWithMembers(now);
    const b = await orgWithMembers(now);
    const unknownUser = randomId();
    const unknownSession = randomId();

    expect(await endMemberSession(a.asOwner, b.member.sessionId, now)).toEqual(await endMemberSession(a.asOwner, unknownSession, now));
    expect(await endAllMemberSessions(a.asOwner, b.member.userId, now)).toEqual(await endAllMemberSessions(a.asOwner, unknownUser, now));
    expect(await listMemberSessions({ orgId: a.orgId, userId: b.member.userId }, now)).toBeNull();
    expect(await listMemberSessions({ orgId: a.orgId, userId: unknownUser }, now)).toBeNull();
    expect(await removeMember(a.asOwner, b.member.userId, now)).toEqual(await removeMember(a.asOwner, unknownUser, now));
    expect(await removeMember(a.asOwner, b.member.userId, now)).toEqual({ ok: false, error: 'not_found' });
    expect(await listMembers(b.orgId, now)).toHaveLength(3);
    for (const id of [b.member.sessionId, b.member.phoneSessionId, b.owner.sessionId]) expect((await sessionRow(id)).revokedAt).toBeNull();
    expect(await selectRows("SELECT * FROM security_events WHERE org_id = $1 AND type = 'admin_revoked'", [b.orgId])).toEqual([]);
  });

  it('a person in both orgs keeps their B sessions when A’s admin ends all of theirs', async () => {
    const now = new Date();
    const a = await orgWithMembers(now);
    const b = await orgWithMembers(now);
    // B's member accepts A's invitation on a new device, which moves into A.
    const inA = await signIn(b.member.email, now, { label: 'Working for A' });
    await accept(inA, await inviteToken(a.asOwner, b.member.email, 'member', now), now);

    expect(await endAllMemberSessions(a.asOwner, b.member.userId, now)).toEqual({ ok: true });
    expect((await sessionRow(inA.sessionId)).revokedReason).toBe('admin');
    for (const id of [b.member.sessionId, b.member.phoneSessionId]) expect((await sessionRow(id)).revokedAt).toBeNull();
  });
});
