import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, events, iso, localPart, newEmail, signIn } from './fixtures';

/** A person's own orgs: listUserOrgs, switchSessionOrg, leaveOrg. */

const T0 = new Date('2031-09-01T09:00:00.000Z');

/** Pat has a personal org and is a member of Quinn's org, added a minute after signing up. */
async function two() {
  const store = await getStore();
  const patEmail = newEmail('pat');
  const quinnEmail = newEmail('quinn');
  const pat = await signIn(patEmail, T0);
  const quinn = await signIn(quinnEmail, T0);
  expect(await store.addMember({ userId: quinn.userId, orgId: quinn.orgId }, { email: patEmail, role: 'member' }, at(T0, 60))).toEqual({ ok: true });
  return { pat, quinn, patOrg: `${localPart(patEmail)}'s org`, quinnOrg: `${localPart(quinnEmail)}'s org` };
}

describe('listUserOrgs', () => {
  it('every org of the user, oldest membership first, with the role held there', async () => {
    const store = await getStore();
    const { pat, quinn, patOrg, quinnOrg } = await two();
    expect(await store.listUserOrgs(pat.userId)).toEqual([
      { orgId: pat.orgId, name: patOrg, role: 'owner' },
      { orgId: quinn.orgId, name: quinnOrg, role: 'member' },
    ]);
    expect(await store.listUserOrgs(quinn.userId)).toEqual([{ orgId: quinn.orgId, name: quinnOrg, role: 'owner' }]);
    expect(await store.listUserOrgs('no-such-user')).toEqual([]);
  });
});

describe('switchSessionOrg', () => {
  it('moves one live session to another org of the user; the next check sees it; org_switched is recorded', async () => {
    const store = await getStore();
    const { pat, quinn, quinnOrg } = await two();
    const other = await signIn(pat.email, at(T0, 90), { device: { label: 'Phone' } });
    const T1 = at(T0, 120);
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, T1)).toEqual({ ok: true });
    expect(await context(pat.sessionId)).toMatchObject({ orgId: quinn.orgId, orgName: quinnOrg, role: 'member' });
    expect((await context(other.sessionId))?.orgId).toBe(pat.orgId);
    expect(await events({ orgId: quinn.orgId }, 'org_switched')).toMatchObject([{ userId: pat.userId, at: iso(T1), deviceLabel: 'Laptop' }]);
    // And back.
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: pat.orgId }, at(T1, 1))).toEqual({ ok: true });
    expect(await context(pat.sessionId)).toMatchObject({ orgId: pat.orgId, role: 'owner' });
  });

  it('not_found for an org the user is not in, another person’s session or an ended one; nothing changes', async () => {
    const store = await getStore();
    const { pat, quinn } = await two();
    const stranger = await signIn(newEmail('stranger'), T0);
    const T1 = at(T0, 120);
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: stranger.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: quinn.sessionId, orgId: pat.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.switchSessionOrg({ userId: quinn.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
    await store.revoke({ kind: 'session', userId: pat.userId, sessionId: pat.sessionId, fromSessionId: null }, 'sign_out', T1);
    expect(await store.switchSessionOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, at(T1, 1))).toEqual({ ok: false, error: 'not_found' });
    expect((await context(pat.sessionId))?.orgId).toBe(pat.orgId);
    expect((await context(quinn.sessionId))?.orgId).toBe(quinn.orgId);
    expect(await events({ orgId: quinn.orgId }, 'org_switched')).toEqual([]);
  });
});

describe('leaveOrg', () => {
  it('leaving ends the user’s sessions there (signed out elsewhere), drops the membership, records member_removed', async () => {
    const store = await getStore();
    const { pat, quinn } = await two();
    const there = await signIn(pat.email, at(T0, 90), { device: { label: 'Phone' } });
    await store.switchSessionOrg({ userId: pat.userId, sessionId: there.sessionId, orgId: quinn.orgId }, at(T0, 100));
    const T1 = at(T0, 120);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, T1)).toEqual({ ok: true });
    expect(await context(there.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'sign_out', revokedElsewhere: true });
    expect((await context(pat.sessionId))?.revokedAt).toBeNull();
    expect((await store.listUserOrgs(pat.userId)).map((org) => org.orgId)).toEqual([pat.orgId]);
    expect((await store.listMembers(quinn.orgId, T1)).map((m) => m.userId)).toEqual([quinn.userId]);
    expect(await events({ orgId: quinn.orgId }, 'member_removed')).toMatchObject([{ userId: pat.userId, actorUserId: pat.userId, detail: 'member', at: iso(T1) }]);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: quinn.orgId }, at(T1, 1))).toEqual({ ok: false, error: 'not_found' });
  });

  it('the org this session is bound to cannot be left (current_org), nor an org by its last owner (last_owner)', async () => {
    const store = await getStore();
    const { pat, quinn } = await two();
    const T1 = at(T0, 120);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: pat.orgId }, T1)).toEqual({ ok: false, error: 'current_org' });
    // Quinn, sole owner of her org, joins Pat's and moves her session there; she still cannot leave her own.
    expect(await store.addMember({ userId: pat.userId, orgId: pat.orgId }, { email: quinn.email, role: 'admin' }, T1)).toEqual({ ok: true });
    expect(await store.switchSessionOrg({ userId: quinn.userId, sessionId: quinn.sessionId, orgId: pat.orgId }, T1)).toEqual({ ok: true });
    expect(await store.leaveOrg({ userId: quinn.userId, sessionId: quinn.sessionId, orgId: quinn.orgId }, at(T1, 1))).toEqual({ ok: false, error: 'last_owner' });
    expect((await store.listUserOrgs(quinn.userId)).map((org) => org.role)).toEqual(['owner', 'admin']);
    expect((await store.listUserOrgs(pat.userId)).map((org) => org.orgId)).toEqual([pat.orgId, quinn.orgId]);
    const stranger = await signIn(newEmail('stranger'), T0);
    expect(await store.leaveOrg({ userId: pat.userId, sessionId: pat.sessionId, orgId: stranger.orgId }, T1)).toEqual({ ok: false, error: 'not_found' });
  });
});
