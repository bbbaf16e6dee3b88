import { describe, expect, it } from 'vitest';
import { getStore, type SessionContext } from '@/lib/store';
import { at, context, DAY, events, iso, join, newEmail, orgOwner, orgWithMembers, signIn } from './fixtures';

/** revoke, scope by scope: the user's own (L6), an org admin's (L7), a retired key's (L8), and the events each writes. */

const T0 = new Date('2031-07-01T10:00:00.000Z');
const T1 = at(T0, 600);

const snapshot = async (ids: string[]): Promise<Array<SessionContext | null>> => Promise.all(ids.map((id) => context(id)));
const activityCount = async (userId: string) => (await (await getStore()).listActivity({ userId }, 500)).length;

async function person(name: string) {
  const email = newEmail(name);
  const laptop = await signIn(email, T0);
  const phone = await signIn(email, at(T0, 1), { device: { label: 'Phone', type: 'mobile', fingerprint: 'b'.repeat(64) } });
  const tablet = await signIn(email, at(T0, 2), { device: { label: 'Tablet', type: 'tablet', fingerprint: 'c'.repeat(64) } });
  return { email, userId: laptop.userId, orgId: laptop.orgId, laptop, phone, tablet };
}

describe('revoke: a person’s own sessions', () => {
  it('L6: a user ends one of their other sessions by id: ended 1, marked elsewhere, one session_revoked event', async () => {
    const store = await getStore();
    const p = await person('ends-other');
    const scope = { kind: 'session', userId: p.userId, sessionId: p.phone.sessionId, fromSessionId: p.laptop.sessionId } as const;
    expect(await store.revoke(scope, 'sign_out', T1)).toEqual({ ok: true, ended: 1 });
    expect(await context(p.phone.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'sign_out', revokedElsewhere: true });
    expect((await context(p.laptop.sessionId))?.revokedAt).toBeNull();
    const [event] = await events({ userId: p.userId }, 'session_revoked');
    expect(event).toMatchObject({ at: iso(T1), userId: p.userId, actorUserId: p.userId, detail: 'Phone', deviceLabel: 'Phone' });
    // The ended device is told which of the person's devices ended it, by the name it had then.
    expect(await context(p.phone.sessionId)).toMatchObject({ revokedFrom: 'Laptop' });
    // Ending it again ends nothing and records nothing.
    const before = await activityCount(p.userId);
    expect(await store.revoke(scope, 'sign_out', at(T1, 1))).toEqual({ ok: true, ended: 0 });
    expect(await activityCount(p.userId)).toBe(before);
    expect((await context(p.phone.sessionId))?.revokedAt).toBe(iso(T1));
  });

  it('L6: ending the session in use is a plain sign_out (not elsewhere); from the browser itself no actor is recorded', async () => {
    const store = await getStore();
    const p = await person('ends-own');
    expect(await store.revoke({ kind: 'session', userId: p.userId, sessionId: p.laptop.sessionId, fromSessionId: p.laptop.sessionId }, 'sign_out', T1)).toEqual({ ok: true, ended: 1 });
    expect(await context(p.laptop.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: false });
    expect(await store.revoke({ kind: 'session', userId: p.userId, sessionId: p.tablet.sessionId, fromSessionId: null }, 'sign_out', at(T1, 1))).toEqual({ ok: true, ended: 1 });
    expect(await context(p.tablet.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: false });
    const signOuts = await events({ userId: p.userId }, 'sign_out');
    expect(signOuts.map((e) => [e.detail, e.actorUserId])).toEqual([['Tablet', null], ['Laptop', p.userId]]);
    expect(await events({ userId: p.userId }, 'session_revoked')).toEqual([]);
  });

  it('L6: another person’s session id, an unknown id and an ended one all answer ended 0 and change nothing', async () => {
    const store = await getStore();
    const victim = await person('victim');
    const attacker = await person('attacker');
    const ids = [victim.laptop.sessionId, victim.phone.sessionId, attacker.laptop.sessionId];
    const before = await snapshot(ids);
    const [victimEvents, attackerEvents] = [await activityCount(victim.userId), await activityCount(attacker.userId)];
    const attempt = (sessionId: string) =>
      store.revoke({ kind: 'session', userId: attacker.userId, sessionId, fromSessionId: attacker.laptop.sessionId }, 'sign_out', T1);
    const unknown = await attempt('no-such-session-000000');
    expect(unknown).toEqual({ ok: true, ended: 0 });
    expect(await attempt(victim.phone.sessionId)).toEqual(unknown);
    await store.revoke({ kind: 'session', userId: attacker.userId, sessionId: attacker.tablet.sessionId, fromSessionId: null }, 'sign_out', T1);
    expect(await attempt(attacker.tablet.sessionId)).toEqual(unknown);
    expect(await snapshot(ids)).toEqual(before);
    expect(await activityCount(victim.userId)).toBe(victimEvents);
    expect(await activityCount(attacker.userId)).toBe(attackerEvents + 1); // the tablet's own sign-out only
  });

  it('L6: "all others at once" ends every other live session of the user and nobody else’s, with one event', async () => {
    const store = await getStore();
    const p = await person('all-others');
    const bystander = await person('bystander');
    const scope = { kind: 'other_sessions', userId: p.userId, keepSessionId: p.laptop.sessionId, orgId: p.orgId } as const;
    expect(await store.revoke(scope, 'sign_out', T1)).toEqual({ ok: true, ended: 2 });
    expect((await context(p.laptop.sessionId))?.revokedAt).toBeNull();
    for (const id of [p.phone.sessionId, p.tablet.sessionId]) {
      expect(await context(id)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'sign_out', revokedElsewhere: true });
    }
    expect((await snapshot([bystander.laptop.sessionId, bystander.phone.sessionId])).map((s) => s?.revokedAt)).toEqual([null, null]);
    const recorded = await events({ userId: p.userId }, 'other_sessions_revoked');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ detail: '2', actorUserId: p.userId, deviceLabel: 'Laptop', at: iso(T1) });
    expect(await store.revoke(scope, 'sign_out', at(T1, 1))).toEqual({ ok: true, ended: 0 });
    expect(await events({ userId: p.userId }, 'other_sessions_revoked')).toHaveLength(1);
  });
});

describe('revoke: an org admin’s scopes', () => {
  it('L7: an admin ends one member session (admin_revoked, actor recorded); a member cannot and nothing changes', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const ids = [org.owner.sessionId, org.admin.sessionId, org.member.sessionId, org.memberPhone.sessionId];
    const before = await snapshot(ids);
    expect(await store.revoke({ kind: 'org_session', actor: org.asMember, sessionId: org.admin.sessionId }, 'admin', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.revoke({ kind: 'org_member', actor: org.asMember, userId: org.admin.userId }, 'admin', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await snapshot(ids)).toEqual(before);

    expect(await store.revoke({ kind: 'org_session', actor: org.asAdmin, sessionId: org.memberPhone.sessionId }, 'admin', T1)).toEqual({ ok: true, ended: 1 });
    expect(await context(org.memberPhone.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'admin', revokedElsewhere: false });
    expect((await context(org.member.sessionId))?.revokedAt).toBeNull();
    const [event] = await events({ orgId: org.orgId }, 'admin_revoked');
    expect(event).toMatchObject({ userId: org.member.userId, actorUserId: org.admin.userId, actorEmail: org.emails.admin, userEmail: org.emails.member, detail: 'Member phone' });
  });

  it('L7: admins cannot touch owners (forbidden), owners can end an admin’s sessions', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const before = await snapshot([org.owner.sessionId]);
    expect(await store.revoke({ kind: 'org_session', actor: org.asAdmin, sessionId: org.owner.sessionId }, 'admin', T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.revoke({ kind: 'org_member', actor: org.asAdmin, userId: org.owner.userId }, 'admin', T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await snapshot([org.owner.sessionId])).toEqual(before);
    expect(await store.revoke({ kind: 'org_member', actor: org.asOwner, userId: org.admin.userId }, 'admin', T1)).toEqual({ ok: true, ended: 1 });
    expect((await context(org.admin.sessionId))?.revokedReason).toBe('admin');
  });

  it('L7: an admin of another org gets the unknown-id answers for this org’s session and member, and nothing changes', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const outsider = await signIn(newEmail('outsider'), T0);
    const asOutsider = { userId: outsider.userId, orgId: outsider.orgId };
    const ids = [org.member.sessionId, org.memberPhone.sessionId, org.owner.sessionId];
    const before = await snapshot(ids);
    const unknown = await store.revoke({ kind: 'org_session', actor: asOutsider, sessionId: 'no-such-session-000000' }, 'admin', T1);
    expect(unknown.ok ? unknown.ended : unknown.error).toBe(unknown.ok ? 0 : 'not_found');
    expect(await store.revoke({ kind: 'org_session', actor: asOutsider, sessionId: org.member.sessionId }, 'admin', T1)).toEqual(unknown);
    expect(await store.revoke({ kind: 'org_member', actor: asOutsider, userId: org.member.userId }, 'admin', T1)).toEqual({ ok: false, error: 'not_found' });
    // An actor naming an org they are not in is no admin of it.
    expect(await store.revoke({ kind: 'org_member', actor: { userId: outsider.userId, orgId: org.orgId }, userId: org.member.userId }, 'admin', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await snapshot(ids)).toEqual(before);
    expect(await events({ orgId: org.orgId }, 'admin_revoked')).toEqual([]);
  });

  it('L7: org_member ends every session the member has in this org, and none in their other orgs', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const elsewhere = await orgOwner(newEmail('other-owner'), T0);
    // The member accepts the second org's invitation from a new device, which moves into it.
    const third = await join({ userId: elsewhere.userId, orgId: elsewhere.orgId }, org.emails.member, 'member', at(T0, 5), { device: { label: 'Member desktop' } });
    expect(third.orgId).toBe(elsewhere.orgId);

    expect(await store.revoke({ kind: 'org_member', actor: org.asAdmin, userId: org.member.userId }, 'admin', T1)).toEqual({ ok: true, ended: 2 });
    for (const id of [org.member.sessionId, org.memberPhone.sessionId]) expect((await context(id))?.revokedReason).toBe('admin');
    expect(await context(third.sessionId)).toMatchObject({ revokedAt: null, orgId: elsewhere.orgId });
    const recorded = await events({ orgId: org.orgId }, 'admin_revoked');
    expect(recorded.map((e) => e.detail).sort()).toEqual(['Member laptop', 'Member phone']);
    expect(await events({ orgId: elsewhere.orgId }, 'admin_revoked')).toEqual([]);
  });
});

describe('revoke: a retired key', () => {
  it('L8: ends only the live sessions still on that key, with reason rotation and one key_retired event each', async () => {
    const store = await getStore();
    const [retired, kept] = [`retired-${Date.now()}`, `kept-${Date.now()}`];
    const a = await signIn(newEmail('key-a'), T0, { kid: retired });
    const b = await signIn(newEmail('key-b'), T0, { kid: retired });
    const ended = await signIn(newEmail('key-ended'), T0, { kid: retired });
    const expired = await signIn(newEmail('key-expired'), T0, { kid: retired, lifetimeSeconds: 60 });
    const other = await signIn(newEmail('key-other'), T0, { kid: kept });
    await store.revoke({ kind: 'session', userId: ended.userId, sessionId: ended.sessionId, fromSessionId: null }, 'sign_out', at(T0, 30));

    expect(await store.revoke({ kind: 'key', kid: retired }, 'rotation', T1)).toEqual({ ok: true, ended: 2 });
    for (const s of [a, b]) {
      expect(await context(s.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'rotation', revokedElsewhere: false });
      expect(await events({ userId: s.userId }, 'key_retired')).toMatchObject([{ detail: retired, userId: s.userId, at: iso(T1) }]);
    }
    expect((await context(ended.sessionId))?.revokedReason).toBe('sign_out');
    expect((await context(expired.sessionId))?.revokedAt).toBeNull();
    expect((await context(other.sessionId))?.revokedAt).toBeNull();
    const counts = await store.liveSessionsByKid(at(T1, 1));
    expect([counts.get(retired) ?? 0, counts.get(kept)]).toEqual([0, 1]);
    expect(await store.revoke({ kind: 'key', kid: retired }, 'rotation', at(T1, 1 * DAY))).toEqual({ ok: true, ended: 0 });
  });
});
