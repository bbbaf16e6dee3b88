import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, events, invite, iso, localPart, newEmail, orgOwner, signIn } from './fixtures';

/** A person's devices and activity: listDevices, renameDevice, listActivity. */

const T0 = new Date('2031-08-01T07:00:00.000Z');
const HOUR = 3600;

/** One person's history: three live devices, one that reached its end, one signed out; and a stranger. */
async function history() {
  const store = await getStore();
  const email = newEmail('devices');
  const laptop = await signIn(email, T0, { device: { label: 'Laptop' } });
  const phone = await signIn(email, at(T0, HOUR), { device: { label: 'Phone', type: 'mobile', persistent: false } });
  const tablet = await signIn(email, at(T0, 2 * HOUR), { device: { label: 'Tablet', type: 'tablet' } });
  const brief = await signIn(email, at(T0, 3 * HOUR), { device: { label: 'Kiosk' }, lifetimeSeconds: 60 });
  const gone = await signIn(email, at(T0, 4 * HOUR), { device: { label: 'Old phone', type: 'mobile' } });
  await store.revoke({ kind: 'session', userId: gone.userId, sessionId: gone.sessionId, fromSessionId: laptop.sessionId }, 'sign_out', at(T0, 4 * HOUR + 10));
  expect(await store.touchLastSeen(laptop.sessionId, at(T0, 5 * HOUR), 300)).toBe('written');
  const stranger = await signIn(newEmail('stranger'), at(T0, 5 * HOUR));
  return { email, userId: laptop.userId, orgId: laptop.orgId, laptop, phone, tablet, brief, gone, stranger };
}

describe('listDevices', () => {
  it('L6: live sessions by latest activity, ended ones (signed out or past their end) newest first, nobody else’s', async () => {
    const store = await getStore();
    const h = await history();
    const now = at(T0, 6 * HOUR);
    const list = await store.listDevices(h.userId, now, T0, 50);
    expect(list.live.map((row) => row.label)).toEqual(['Laptop', 'Tablet', 'Phone']);
    expect(list.ended.map((row) => row.label)).toEqual(['Old phone', 'Kiosk']);
    expect(list.live.find((row) => row.id === h.phone.sessionId)).toEqual({
      id: h.phone.sessionId,
      label: 'Phone',
      deviceType: 'mobile',
      signedInAt: iso(at(T0, HOUR)),
      lastActiveAt: iso(at(T0, HOUR)),
      persistent: false,
      refreshExpiresAt: iso(at(T0, HOUR + 30 * 86_400)),
      revokedAt: null,
      revokedReason: null,
      revokedElsewhere: false,
      deviceBound: false,
    });
    expect(list.live[0]?.lastActiveAt).toBe(iso(at(T0, 5 * HOUR)));
    expect(list.ended[0]).toMatchObject({ id: h.gone.sessionId, revokedAt: iso(at(T0, 4 * HOUR + 10)), revokedReason: 'sign_out', revokedElsewhere: true });
    expect(list.ended[1]).toMatchObject({ id: h.brief.sessionId, revokedAt: null, refreshExpiresAt: iso(at(T0, 3 * HOUR + 60)) });
    const ids = [...list.live, ...list.ended].map((row) => row.id);
    expect(ids).not.toContain(h.stranger.sessionId);
  });

  it('only sessions that ended since endedSince are listed, at most endedLimit of them', async () => {
    const store = await getStore();
    const h = await history();
    const now = at(T0, 6 * HOUR);
    expect((await store.listDevices(h.userId, now, at(T0, 3 * HOUR + 61), 50)).ended.map((row) => row.id)).toEqual([h.gone.sessionId]);
    expect((await store.listDevices(h.userId, now, T0, 1)).ended.map((row) => row.id)).toEqual([h.gone.sessionId]);
    // Before its end the kiosk is live.
    const earlier = await store.listDevices(h.userId, at(T0, 3 * HOUR + 30), T0, 50);
    expect(earlier.live.map((row) => row.label)).toContain('Kiosk');
    expect(earlier.ended.map((row) => row.label)).not.toContain('Kiosk');
  });
});

describe('renameDevice', () => {
  it('L6: renames one of the user’s own live devices, with a device_renamed event', async () => {
    const store = await getStore();
    const h = await history();
    const now = at(T0, 6 * HOUR);
    expect(await store.renameDevice({ userId: h.userId, orgId: h.orgId }, h.phone.sessionId, 'Work phone', now)).toBe(true);
    expect((await context(h.phone.sessionId))?.deviceLabel).toBe('Work phone');
    expect((await store.listDevices(h.userId, now, T0, 50)).live.find((row) => row.id === h.phone.sessionId)?.label).toBe('Work phone');
    expect(await events({ userId: h.userId }, 'device_renamed')).toMatchObject([{ detail: 'Work phone', actorUserId: h.userId, at: iso(now), orgName: `${localPart(h.email)}'s org` }]);
  });

  it('L6: another person’s device, an unknown id and an ended device answer false and change nothing', async () => {
    const store = await getStore();
    const h = await history();
    const now = at(T0, 6 * HOUR);
    const asStranger = { userId: h.stranger.userId, orgId: h.stranger.orgId };
    expect(await store.renameDevice(asStranger, h.phone.sessionId, 'Mine now', now)).toBe(false);
    expect(await store.renameDevice(asStranger, 'no-such-session-000000', 'Mine now', now)).toBe(false);
    expect(await store.renameDevice({ userId: h.userId, orgId: h.orgId }, h.gone.sessionId, 'Renamed', now)).toBe(false);
    expect(await store.renameDevice({ userId: h.userId, orgId: h.orgId }, h.brief.sessionId, 'Renamed', now)).toBe(false);
    expect((await context(h.phone.sessionId))?.deviceLabel).toBe('Phone');
    expect((await context(h.gone.sessionId))?.deviceLabel).toBe('Old phone');
    expect(await events({ userId: h.userId }, 'device_renamed')).toEqual([]);
    expect(await events({ userId: h.stranger.userId }, 'device_renamed')).toEqual([]);
  });
});

describe('listActivity', () => {
  it('newest first, limited, by user or by org, naming the people, org and device', async () => {
    const store = await getStore();
    const ownerEmail = newEmail('owner');
    const memberEmail = newEmail('member');
    const owner = await orgOwner(ownerEmail, T0);
    const asOwner = { userId: owner.userId, orgId: owner.orgId };
    const invitation = await invite(asOwner, memberEmail, 'member', at(T0, 10));
    const member = await signIn(memberEmail, at(T0, 20), { device: { label: 'Member phone' } });
    expect(await store.acceptInvitation({ userId: member.userId, sessionId: member.sessionId }, invitation, at(T0, 25))).toEqual({ ok: true, orgId: owner.orgId });
    await store.renameDevice(asOwner, owner.sessionId, 'Desk', at(T0, 30));
    const stranger = await signIn(newEmail('stranger'), at(T0, 40));

    const org = await store.listActivity({ orgId: owner.orgId }, 10);
    expect(org.map((row) => [row.type, row.at])).toEqual([
      ['device_renamed', iso(at(T0, 30))],
      ['invitation_accepted', iso(at(T0, 25))],
      ['invitation_sent', iso(at(T0, 10))],
      ['org_created', iso(T0)],
    ]);
    // Sent before the address had an account: the row names the address in its detail, no user.
    expect(org[2]).toEqual({
      id: expect.any(Number),
      type: 'invitation_sent',
      at: iso(at(T0, 10)),
      detail: `member ${memberEmail}`,
      userId: null,
      actorUserId: owner.userId,
      userEmail: null,
      actorEmail: ownerEmail,
      orgName: owner.orgName,
      deviceLabel: null,
    });
    expect(org[1]).toMatchObject({ userId: member.userId, actorUserId: member.userId, userEmail: memberEmail, detail: `member ${memberEmail}` });
    // A rename keeps the name it replaced beside the new one, whatever the device is called now (issue 13, item 8).
    expect(org[0]).toMatchObject({ type: 'device_renamed', userEmail: ownerEmail, deviceLabel: 'Laptop', detail: 'Desk', orgName: owner.orgName });
    expect(org[3]).toMatchObject({ userEmail: ownerEmail, actorEmail: ownerEmail, detail: owner.orgName });
    expect(new Set(org.map((row) => row.id)).size).toBe(4);
    expect((await store.listActivity({ orgId: owner.orgId }, 2)).map((row) => row.type)).toEqual(['device_renamed', 'invitation_accepted']);

    expect((await store.listActivity({ userId: member.userId }, 10)).map((row) => row.type)).toEqual(['invitation_accepted', 'sign_in']);
    expect((await store.listActivity({ userId: member.userId }, 1)).map((row) => row.type)).toEqual(['invitation_accepted']);
    expect((await store.listActivity({ userId: stranger.userId }, 10)).map((row) => row.userId)).toEqual([stranger.userId]);
  });
});
