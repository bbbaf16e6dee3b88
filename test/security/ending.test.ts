import { describe, expect, it } from 'vitest';
import { notYouLink } from '@/lib/auth/alert-link';
import { listDevices, signOutDevice, signOutOtherDevices } from '@/lib/auth/devices';
import { countLiveSessionsOnKey, retireKey } from '@/lib/auth/key-rotation';
import { getKeyring, parseKeyring } from '@/lib/crypto/keys';
import { randomId } from '@/lib/ids';
import type { OrgActor } from '@/lib/orgs/access';
import { endAllMemberSessions, endMemberSession } from '@/lib/orgs/member-sessions';
import { getStore } from '@/lib/store';
import { describeEnding } from '@/lib/text/endings';
import { newDeviceMessage } from '@/lib/text/mail';
import { at, contextAt, signIn, uniqueEmail } from '@/test/helpers';
import { execute, selectRows } from '@/test/inspect';
import { orgWithMembers } from '@/test/org-fixtures';
import { actorOf, check, rotate, sessionRow } from './forge';

/**
 * L6–L8 and L11 on a real database: who can end which sessions, and what an ended device is told.
 * The same properties are attacked through the real pages and actions in e2e/security/ending.spec.ts.
 */

const T0 = new Date('2031-09-01T10:00:00.000Z');
const endOne = async (actor: OrgActor, sessionId: string, now: Date) => endMemberSession(await contextAt(now), actor, sessionId);
const endAll = async (actor: OrgActor, userId: string, now: Date) => endAllMemberSessions(await contextAt(now), actor, userId);
/** The operator's view of the keys (npm run keys), on this file's store. */
const operatorAt = async (now: Date) => ({ store: await getStore(), keyring: getKeyring(), now: () => now });

/** Everything that could tell one session's state from another's: the whole row. */
const snapshot = (ids: string[]) => Promise.all(ids.map((id) => sessionRow(id)));

type EventRecord = { id: number; type: string; userId: string | null; orgId: string | null; sessionId: string | null; actorUserId: string | null; detail: string | null; createdAt: string };

/** The security events recorded about one session, in the order they were written. */
function eventsAbout(sessionId: string): Promise<EventRecord[]> {
  return selectRows<EventRecord>('SELECT * FROM security_events WHERE session_id = $1 ORDER BY id', [sessionId]);
}

/** X on three devices, Y on one. */
async function people() {
  const xEmail = uniqueEmail('l6-x');
  const x1 = await signIn(xEmail, T0, { label: 'X laptop' });
  const x2 = await signIn(xEmail, at(T0, 1), { label: 'X phone' });
  const x3 = await signIn(xEmail, at(T0, 2), { label: 'X tablet' });
  const y1 = await signIn(uniqueEmail('l6-y'), at(T0, 3), { label: 'Y laptop' });
  return { x1, x2, x3, y1, asX1: await actorOf(x1) };
}

describe('L6 people end their own sessions, and only theirs', () => {
  it('L6: a user ends one of their other sessions by id, and its unexpired tokens are refused at once', async () => {
    const { x1, x2, x3, asX1 } = await people();
    expect(await signOutDevice(await contextAt(at(T0, 10)), asX1, x2.sessionId)).toEqual({ endedCurrent: false });
    expect(await sessionRow(x2.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect(await check(x2.tokens.accessToken, at(T0, 11))).toMatchObject({ status: 'ended', notice: { reason: 'sign_out', elsewhere: true } });
    expect(await rotate(x2.tokens.refreshToken, at(T0, 11))).toMatchObject({ ok: false, error: 'revoked' });
    for (const s of [x1, x3]) expect((await check(s.tokens.accessToken, at(T0, 11))).status).toBe('valid');
    expect((await eventsAbout(x2.sessionId)).filter((event) => event.type === 'session_revoked')).toMatchObject([{ userId: x1.userId, detail: 'X phone' }]);
  });

  it('L6: choosing the session in use ends it and tells the caller to clear its cookies', async () => {
    const { x1, x2, asX1 } = await people();
    expect(await signOutDevice(await contextAt(at(T0, 10)), asX1, x1.sessionId)).toEqual({ endedCurrent: true });
    expect(await sessionRow(x1.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: false });
    expect((await check(x1.tokens.accessToken, at(T0, 11))).status).toBe('ended');
    expect((await sessionRow(x2.sessionId))?.revokedAt).toBeNull();
    // Recorded as a plain sign-out of this device, not as one ended from elsewhere.
    expect((await eventsAbout(x1.sessionId)).map((event) => event.type).filter((type) => type !== 'sign_in')).toEqual(['sign_out']);
  });

  it('L6: "all others at once" ends every other live session of the user, keeps this one, and touches nobody else', async () => {
    const { x1, x2, x3, y1, asX1 } = await people();
    expect(await signOutOtherDevices(await contextAt(at(T0, 10)), asX1)).toBe(2);
    for (const s of [x2, x3]) expect((await check(s.tokens.accessToken, at(T0, 11))).status).toBe('ended');
    for (const s of [x1, y1]) expect((await check(s.tokens.accessToken, at(T0, 11))).status).toBe('valid');
    for (const s of [x2, x3]) expect(await sessionRow(s.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect(await signOutOtherDevices(await contextAt(at(T0, 12)), asX1)).toBe(0);
    // One event for the one action, counting what it ended; the no-op second call records nothing.
    const recorded = await selectRows<EventRecord>("SELECT * FROM security_events WHERE user_id = $1 AND type = 'other_sessions_revoked'", [x1.userId]);
    expect(recorded.map((event) => event.detail)).toEqual(['2']);
  });

  it("L6: another person's session id is a silent no-op: the same outcome as an unknown id and as one's own, nothing changes, nothing is logged", async () => {
    const { x1, x2, y1, asX1 } = await people();
    const before = await snapshot([y1.sessionId, x1.sessionId]);
    const foreign = await signOutDevice(await contextAt(at(T0, 10)), asX1, y1.sessionId);
    const unknown = await signOutDevice(await contextAt(at(T0, 10)), asX1, randomId());
    const own = await signOutDevice(await contextAt(at(T0, 10)), asX1, x2.sessionId);
    expect(foreign).toEqual(unknown);
    expect(foreign).toEqual(own);
    expect(await snapshot([y1.sessionId, x1.sessionId])).toEqual(before);
    expect((await eventsAbout(y1.sessionId)).filter((event) => event.type !== 'sign_in')).toEqual([]);
    expect((await check(y1.tokens.accessToken, at(T0, 11))).status).toBe('valid');
    // The lower-level revoke is scoped by owner in SQL too: Y's id under X's user id matches nothing.
    const store = await getStore();
    expect(await store.revoke({ kind: 'session', userId: x1.userId, sessionId: y1.sessionId, fromSessionId: null }, 'sign_out', at(T0, 12))).toEqual({ ok: true, ended: 0 });
    expect(await store.revoke({ kind: 'session', userId: x1.userId, sessionId: y1.sessionId, fromSessionId: x1.sessionId }, 'sign_out', at(T0, 12))).toEqual({ ok: true, ended: 0 });
    expect((await sessionRow(y1.sessionId))?.revokedAt).toBeNull();
    expect((await eventsAbout(y1.sessionId)).filter((event) => event.type !== 'sign_in')).toEqual([]);
  });

  it("L6: the device list handed to the page is only ids, labels, times and flags: no token, refresh secret, fingerprint or key version", async () => {
    const { x1, x2, x3, asX1 } = await people();
    await signOutDevice(await contextAt(at(T0, 10)), asX1, x3.sessionId);
    const list = await listDevices(await contextAt(at(T0, 20)), x1.userId, x1.sessionId);
    expect(list.live.map((d) => d.id).sort()).toEqual([x1.sessionId, x2.sessionId].sort());
    expect(list.ended.map((d) => d.id)).toEqual([x3.sessionId]);
    for (const device of list.live) expect(Object.keys(device).sort()).toEqual(['current', 'deviceBound', 'id', 'label', 'lastActiveAt', 'persistent', 'signedInAt', 'type']);
    for (const device of list.ended) expect(Object.keys(device).sort()).toEqual(['endedAt', 'ending', 'id', 'label', 'signedInAt', 'type']);
    const sent = JSON.stringify(list);
    const secrets = [x1, x2, x3].flatMap((s) => [s.tokens.accessToken, s.tokens.refreshToken, ...s.tokens.accessToken.split('.'), ...s.tokens.refreshToken.split('.')]);
    for (const secret of [...secrets, 'f'.repeat(64), 'eyJ']) expect(sent).not.toContain(secret);
    expect(sent).not.toMatch(/"kid"|"t[12]"/);
  });
});

describe('L7 org admins end sessions of their own org only', () => {
  it("L7: an admin ends one member's session, then all of them, in their own org (reason admin), and the devices are told why", async () => {
    const org = await orgWithMembers(T0);
    expect(await endOne(org.asAdmin, org.member.sessionId, at(T0, 10))).toEqual({ ok: true });
    expect(await sessionRow(org.member.sessionId)).toMatchObject({ revokedReason: 'admin' });
    expect((await sessionRow(org.member.phoneSessionId))?.revokedAt).toBeNull();
    expect(await endAll(org.asAdmin, org.member.userId, at(T0, 11))).toEqual({ ok: true });
    expect(await sessionRow(org.member.phoneSessionId)).toMatchObject({ revokedReason: 'admin' });
    for (const id of [org.owner.sessionId, org.admin.sessionId]) expect((await sessionRow(id))?.revokedAt).toBeNull();
    const events = await selectRows<EventRecord>("SELECT * FROM security_events WHERE type = 'admin_revoked' AND user_id = $1 ORDER BY id", [org.member.userId]);
    expect(events.map((event) => [event.sessionId, event.actorUserId])).toEqual([
      [org.member.sessionId, org.admin.userId],
      [org.member.phoneSessionId, org.admin.userId],
    ]);
  });

  it('L7: a member cannot end anyone’s session, not even with real ids from their own org; nothing changes', async () => {
    const org = await orgWithMembers(T0);
    const ids = [org.owner.sessionId, org.admin.sessionId, org.member.phoneSessionId];
    const before = await snapshot(ids);
    for (const id of ids) expect(await endOne(org.asMember, id, at(T0, 10))).toEqual({ ok: false, error: 'not_found' });
    for (const userId of [org.owner.userId, org.admin.userId, org.member.userId]) {
      expect(await endAll(org.asMember, userId, at(T0, 10))).toEqual({ ok: false, error: 'not_found' });
    }
    expect(await snapshot(ids)).toEqual(before);
  });

  it("L7: an admin of org A posting org B's member and session ids gets exactly the answers unknown ids get, and nothing in B changes", async () => {
    const a = await orgWithMembers(T0);
    const b = await orgWithMembers(T0);
    const bSessions = [b.owner.sessionId, b.admin.sessionId, b.member.sessionId, b.member.phoneSessionId];
    const before = await snapshot(bSessions);
    for (const actor of [a.asOwner, a.asAdmin]) {
      for (const id of bSessions) expect(await endOne(actor, id, at(T0, 10))).toEqual(await endOne(actor, randomId(), at(T0, 10)));
      for (const userId of [b.owner.userId, b.admin.userId, b.member.userId]) {
        expect(await endAll(actor, userId, at(T0, 10))).toEqual(await endAll(actor, randomId(), at(T0, 10)));
      }
      expect(await (await getStore()).listMemberSessions({ orgId: actor.orgId, userId: b.member.userId }, at(T0, 10))).toBeNull();
    }
    expect(await snapshot(bSessions)).toEqual(before);
    // The org comes from the actor, never from the request: naming B's org as the actor's does not make A's admin one of B's.
    expect(await endOne({ userId: a.admin.userId, orgId: b.orgId }, b.member.sessionId, at(T0, 11))).toEqual({ ok: false, error: 'not_found' });
    expect(await snapshot(bSessions)).toEqual(before);
    expect(await selectRows("SELECT * FROM security_events WHERE org_id = $1 AND type = 'admin_revoked'", [b.orgId])).toEqual([]);
  });

  it('L7: an admin whose role was just taken away can no longer end sessions', async () => {
    const org = await orgWithMembers(T0);
    expect(await execute("UPDATE memberships SET role = 'member' WHERE org_id = $1 AND user_id = $2", [org.orgId, org.admin.userId])).toBe(1);
    expect(await endOne(org.asAdmin, org.member.sessionId, at(T0, 10))).toEqual({ ok: false, error: 'not_found' });
    expect(await endAll(org.asAdmin, org.member.userId, at(T0, 10))).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(org.member.sessionId))?.revokedAt).toBeNull();
  });
});

describe('L8 retiring a key', () => {
  const t1 = () => parseKeyring((process.env.SIGNET_KEYS ?? '').split(',').find((e) => e.startsWith('t1:')) ?? '');

  it('L8: retiring a key ends only the live sessions still on it, with reason rotation; sessions on the signing key and already-ended ones keep theirs', async () => {
    const old = await signIn(uniqueEmail('l8-old'), T0, { keyring: t1() });
    const signedOutBefore = await signIn(uniqueEmail('l8-gone'), T0, { keyring: t1() });
    const signOut = { kind: 'session', userId: signedOutBefore.userId, sessionId: signedOutBefore.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(signOut, 'sign_out', at(T0, 1))).toEqual({ ok: true, ended: 1 });
    const current = await signIn(uniqueEmail('l8-current'), T0);
    expect((await sessionRow(current.sessionId))?.kid).toBe('t2');
    // Signed in on t1, then refreshed: the refresh moved it to the signing key, so retiring t1 spares it.
    const moved = await signIn(uniqueEmail('l8-moved'), T0, { keyring: t1() });
    expect(await rotate(moved.tokens.refreshToken, at(T0, 5))).toMatchObject({ ok: true });
    const onT1 = await countLiveSessionsOnKey(await operatorAt(at(T0, 10)), 't1');
    expect(onT1).toBeGreaterThanOrEqual(1);

    expect(await retireKey(await operatorAt(at(T0, 10)), 't1')).toEqual({ ok: true, ended: onT1 });
    expect(await countLiveSessionsOnKey(await operatorAt(at(T0, 10)), 't1')).toBe(0);
    expect(await sessionRow(old.sessionId)).toMatchObject({ revokedReason: 'rotation', revokedElsewhere: false });
    expect(await sessionRow(signedOutBefore.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedAt: at(T0, 1).toISOString() });
    for (const spared of [current, moved]) expect((await sessionRow(spared.sessionId))?.revokedAt).toBeNull();
    expect((await eventsAbout(old.sessionId)).map((event) => [event.type, event.detail])).toContainEqual(['key_retired', 't1']);
    expect((await eventsAbout(current.sessionId)).map((event) => event.type)).not.toContain('key_retired');
  });

  it('L8: the retired device is told to sign in again, on its access token and its refresh token alike, never an error', async () => {
    const old = await signIn(uniqueEmail('l8-told'), T0, { keyring: t1() });
    await retireKey(await operatorAt(at(T0, 10)), 't1');
    const access = await check(old.tokens.accessToken, at(T0, 11));
    expect(access).toMatchObject({ status: 'ended', notice: { reason: 'rotation' } });
    if (access.status === 'ended') expect(describeEnding(access.notice)).toEqual({ headline: 'Your session ended when a signing key was retired', detail: 'Please sign in again.' });
    expect(await rotate(old.tokens.refreshToken, at(T0, 11))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'rotation' } });
  });

  it('L8: the signing key cannot be retired, and refusing it changes nothing', async () => {
    const current = await signIn(uniqueEmail('l8-signing'), T0);
    expect(await retireKey(await operatorAt(at(T0, 10)), 't2')).toEqual({ ok: false, error: 'signing_key' });
    expect((await sessionRow(current.sessionId))?.revokedAt).toBeNull();
  });
});

describe('L11 the new-device email’s "Not you?" link', () => {
  const at1402 = new Date('2030-03-04T14:02:31.000Z');

  it('L11: the email comes as text and HTML, both with the UTC time and the one-click "Not you?" link', () => {
    const link = notYouLink('https://signet.example', 'T'.repeat(43));
    const message = newDeviceMessage({ to: 'pat@example.test', device: 'Safari on iOS', name: null, at: at1402, link: '/settings/security', notYouLink: link });
    expect(link).toBe(`https://signet.example/not-you?token=${'T'.repeat(43)}`);
    for (const body of [message.text, message.html ?? '']) {
      expect(body).toContain('14:02 UTC');
      expect(body).toContain('Not you?');
      expect(body).toContain(link);
    }
  });

  it('L11: what a person typed is escaped in the HTML (a device name is anyone’s text)', () => {
    const message = newDeviceMessage({ to: 'pat@example.test', device: 'Chrome on Linux', name: '<img src=x onerror=alert(1)>', at: at1402, link: '/s', notYouLink: '/n' });
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
