import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, events, iso, join, localPart, newEmail, orgOwner, signIn } from './fixtures';

/** A person's own orgs: their personal org, listUserOrgs, where sign-in lands, switchSessionOrg, leaveOrg. */

const T0 = new Date('2031-09-01T09:00:00.000Z');

/** Pat has a personal org and joined Quinn's org a minute after signing up; Pat's laptop works there. */
async function two() {
  const patEmail = newEmail('pat');
  const quinn = await orgOwner(newEmail('quinn'), T0);
  const pat = await join({ userId: quinn.userId, orgId: quinn.orgId }, patEmail, 'member', at(T0, 60));
  const patHome = (await (await getStore()).listUserOrgs(pat.userId))[0]?.orgId ?? '';
  return { pat, quinn, patHome, patOrg: `${localPart(patEmail)}'s org` };
}

describe('personal orgs and listUserOrgs', () => {
  it('a first sign-in creates the person’s personal org, named after their address, and lands there', async () => {
    const store = await getStore();
    const email = newEmail('newcomer');
    const signed = await signIn(email, T0);
    expect(await store.listUserOrgs(signed.userId)).toEqual([{ orgId: signed.orgId, name: `${localPart(email)}'s org`, role: 'owner', personal: true }]);
    expect(await context(signed.sessionId)).toMatchObject({ orgId: signed.orgId, role: 'owner' });
  });

  it('every org of the user, their personal org first, with the role held there', async () => {
    const store = await getStore();
    const { pat, quinn, patHome, patOrg } = await two();
    expect(await store.listUserOrgs(pat.userId)).toEqual([
      { orgId: patHome, name: patOrg, role: 'owner', personal: true },
      { orgId: quinn.orgId, name: quinn.orgName, role: 'member', personal: false },
    ]);
    expect((await store.listUserOrgs(quinn.userId)).map((org) => [org.orgId, org.personal])).toEqual([
      [quinn.personalOrgId, true],
      [quinn.orgId, false],
    ]);
    expect(await store.listUserOrgs('no-such-user')).toEqual([]);
  });
});

describe('where a sign-in lands', () => {
  it('in the org the person used last, while they still belong to it; else in their personal org', async () => {
    const store = await getStore();
    const { pat, quinn, patHome } = await two();
    // Pat's most recently active session is the laptop in Quinn's org.
    expect((await signIn(pat.email, at(T0, 120))).orgId).toBe(quinn.orgId);
    // A phone used later, in the personal org, makes that the last used.
    const phone = await signIn(pat.email, at(T0, 180));
    await store.switchSessionOrg({ userId: pat.userId, sessionId: phone.sessionId, orgId: patHome }, at(T0, 181));
    await store.touchLastSeen(phone.sessionId, at(T0, 1000), 300);
    expect((await signIn(pat.email, at(T0, 1001))).orgId).toBe(patHome);
    // Removed from Quinn's org: its sessions no longer count.
    await store.switchSessionOrg({ userId: pat.userId, sessionId: phone.sessionId, orgId: quinn.orgId }, at(T0, 1002));
    await store.removeMember({ userId: quinn.userId, orgId: quinn.orgId }, pat.userId, at(T0, 1003));
    expect((await signIn(pat.email, at(T0, 1004))).orgId).toBe(patHome);
  });
});

describe('switchSessionOrg', () => {
  it('moves one live session to another org of the user; the next check sees it; org_switched is recorded', async () => {
    const store = await getStore();
    const { pat, quinn, patHome } = await two();
    const other = await signIn(pat.email, at(T0, 90), { device: { label: 'Phone' } });
    const T1 = at(T0, 120);
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: other.sessionId, orgId: patHome }, T1)).toEqual({ ok: true });
    expect(await context(other.sessionId)).toMatchObject({ orgId: patHome, role: 'owner' });
    expect((await context(pat.sessionId))?.orgId).toBe(quinn.orgId);
    expect(await events({ orgId: patHome }, 'org_switched')).toMatchObject([{ userId: pat.userId, at: iso(T1), deviceLabel: 'Phone' }]);
    // And back.
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: other.sessionId, orgId: quinn.orgId }, at(T1, 1))).toEqual({ ok: true });
    expect(await context(other.sessionId)).toMatchObject({ orgId: quinn.orgId, orgName: quinn.orgName, role: 'member' });
  });

  it('not_found for an org the user is not in, another person’s session or an ended one; nothing changes', async () => {
    const store = await getStore();
    const { pat, quinn, patHome } = await two();
    const stranger = await signIn(newEmail('stranger'), T0);
    const T1 = at(T0, 120);
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: stranger.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: quinn.sessionId, orgId: quinn.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.switchSessionOrg({ userId: quinn.userId, sessionId: pat.sessionId, orgId: quinn.personalOrgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    await store.revoke({ kind: 'session', userId: pat.userId, sessionId: pat.sessionId, fromSessionId: null }, 'sign_out', T1);
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: patHome }, at(T1, 1))).toEqual({ ok: false, error: 'not_found' });
    expect((await context(pat.sessionId))?.orgId).toBe(quinn.orgId);
    expect((await context(quinn.sessionId))?.orgId).toBe(quinn.orgId);
    expect(await events({ orgId: patHome }, 'org_switched')).toEqual([]);
  });
});

describe('leaveOrg', () => {
  it('P3: leaving moves the person’s sessions there to their personal org (signed in, out of sight), drops the membership, records member_removed', async () => {
    const store = await getStore();
    const { pat, quinn, patHome } = await two();
    const phone = await signIn(pat.email, at(T0, 90), { device: { label: 'Phone' } }); // lands in Quinn's org too
    const T1 = at(T0, 120);
    // Leaving the org this very session works in is allowed: it moves home with the rest.
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, T1)).toEqual({ ok: true });
    for (const id of [pat.sessionId, phone.sessionId]) expect(await context(id)).toMatchObject({ orgId: patHome, role: 'owner', revokedAt: null });
    expect((await store.listUserOrgs(pat.userId)).map((org) => org.orgId)).toEqual([patHome]);
    expect((await store.listMembers(quinn.orgId, T1)).map((m) => m.userId)).toEqual([quinn.userId]);
    expect(await store.listMemberSessions({ orgId: quinn.orgId, userId: pat.userId }, T1)).toBeNull();
    expect(await store.revoke({ kind: 'org_session', actor: { userId: quinn.userId, orgId: quinn.orgId }, sessionId: phone.sessionId }, 'admin', T1)).toEqual({ ok: true, ended: 0 });
    expect((await context(phone.sessionId))?.revokedAt).toBeNull();
    expect(await events({ orgId: quinn.orgId }, 'member_removed')).toMatchObject([{ userId: pat.userId, actorUserId: pat.userId, detail: 'member', at: iso(T1) }]);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, at(T1, 1))).toEqual({ ok: false, error: 'not_found' });
  });

  it('a personal org is never left (personal); the last owner cannot leave (last_owner); a stranger finds nothing', async () => {
    const store = await getStore();
    const { pat, quinn, patHome } = await two();
    const T1 = at(T0, 120);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: patHome }, T1)).toEqual({ ok: false, error: 'personal' });
    expect(await store.leaveOrg({ userId: quinn.userId, sessionId: quinn.sessionId, orgId: quinn.orgId }, T1)).toEqual({ ok: false, error: 'last_owner' });
    expect((await store.listUserOrgs(quinn.userId)).map((org) => org.role)).toEqual(['owner', 'owner']);
    const stranger = await signIn(newEmail('stranger'), T0);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: stranger.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    // With a second owner, the first may go.
    const heir = await join({ userId: quinn.userId, orgId: quinn.orgId }, newEmail('heir'), 'owner', T1);
    expect(await store.leaveOrg({ userId: quinn.userId, sessionId: quinn.sessionId, orgId: quinn.orgId }, at(T1, 1))).toEqual({ ok: true });
    expect((await store.listMembers(quinn.orgId, at(T1, 2))).filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([heir.userId]);
    expect((await context(quinn.sessionId))?.orgId).toBe(quinn.personalOrgId);
  });
});
