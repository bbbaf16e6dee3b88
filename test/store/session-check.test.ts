import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, DAY, iso, localPart, newEmail, orgWithMembers, signIn } from './fixtures';

/** The per-request check: findSessionForCheck and touchLastSeen. */

const T0 = new Date('2031-04-01T08:00:00.000Z');

describe('the store under test', () => {
  it('runs on the engine its Vitest project names', async () => {
    expect((await getStore()).engine).toBe(process.env.SIGNET_TEST_ENGINE);
  });
});

describe('findSessionForCheck', () => {
  it('L2: returns the session with its user, org, role and device, times as the ISO strings they were given as', async () => {
    const email = newEmail('check');
    const signed = await signIn(email, T0, { lifetimeSeconds: 30 * DAY });
    expect(await context(signed.sessionId)).toEqual({
      sessionId: signed.sessionId,
      userId: signed.userId,
      email,
      orgId: signed.orgId,
      orgName: `${localPart(email)}'s org`,
      role: 'owner',
      deviceLabel: 'Laptop',
      createdAt: iso(T0),
      refreshExpiresAt: iso(at(T0, 30 * DAY)),
      revokedAt: null,
      revokedReason: null,
      revokedElsewhere: false,
      revokedFrom: null,
      lastSeenAt: iso(T0),
      persistent: true,
    });
  });

  it('L5: a session without "stay signed in" reads back as not persistent, with its own end', async () => {
    const signed = await signIn(newEmail('browser'), T0, { device: { persistent: false, label: null }, lifetimeSeconds: 12 * 3600 });
    const found = await context(signed.sessionId);
    expect(found).toMatchObject({ persistent: false, deviceLabel: null, refreshExpiresAt: iso(at(T0, 12 * 3600)) });
  });

  it('an unknown id is null', async () => {
    await signIn(newEmail('someone'), T0);
    expect(await context('no-such-session-id-000000')).toBeNull();
    expect(await context('')).toBeNull();
  });

  it('L2: reflects a revocation at once, even for a session read a moment before', async () => {
    const email = newEmail('revoked');
    const laptop = await signIn(email, T0);
    const phone = await signIn(email, at(T0, 5), { device: { label: 'Phone', fingerprint: 'b'.repeat(64) } });
    const store = await getStore();
    // Read twice, so an engine that remembers rows has this one remembered.
    expect((await context(phone.sessionId))?.revokedAt).toBeNull();
    expect((await context(phone.sessionId))?.revokedAt).toBeNull();
    const T1 = at(T0, 60);
    await store.revoke({ kind: 'session', userId: phone.userId, sessionId: phone.sessionId, fromSessionId: laptop.sessionId }, 'sign_out', T1);
    expect(await context(phone.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'sign_out', revokedElsewhere: true });
    expect((await context(laptop.sessionId))?.revokedAt).toBeNull();
  });

  it('L7: role is null once the user is no longer a member of the session’s org', async () => {
    const org = await orgWithMembers(T0);
    expect((await context(org.member.sessionId))?.role).toBe('member');
    expect((await context(org.admin.sessionId))?.role).toBe('admin');
    const removed = await (await getStore()).removeMember(org.asOwner, org.member.userId, at(T0, 60));
    expect(removed).toEqual({ ok: true });
    expect(await context(org.member.sessionId)).toMatchObject({ role: null, orgId: org.orgId, revokedReason: 'admin', revokedAt: iso(at(T0, 60)) });
    expect((await context(org.admin.sessionId))?.role).toBe('admin');
  });
});

describe('touchLastSeen', () => {
  it('is not_due within the interval, written after it, and the stored value moves to now', async () => {
    const store = await getStore();
    const signed = await signIn(newEmail('touch'), T0);
    expect(await store.touchLastSeen(signed.sessionId, at(T0, 299), 300)).toBe('not_due');
    expect((await context(signed.sessionId))?.lastSeenAt).toBe(iso(T0));

    expect(await store.touchLastSeen(signed.sessionId, at(T0, 301), 300)).toBe('written');
    expect((await context(signed.sessionId))?.lastSeenAt).toBe(iso(at(T0, 301)));

    // The interval now counts from the new value.
    expect(await store.touchLastSeen(signed.sessionId, at(T0, 500), 300)).toBe('not_due');
    expect((await context(signed.sessionId))?.lastSeenAt).toBe(iso(at(T0, 301)));
    expect(await store.touchLastSeen(signed.sessionId, at(T0, 700), 300)).toBe('written');
    expect((await context(signed.sessionId))?.lastSeenAt).toBe(iso(at(T0, 700)));
  });

  it('writes only the session it names', async () => {
    const store = await getStore();
    const email = newEmail('two-devices');
    const one = await signIn(email, T0);
    const two = await signIn(email, T0, { device: { label: 'Phone' } });
    expect(await store.touchLastSeen(one.sessionId, at(T0, 3600), 60)).toBe('written');
    expect((await context(one.sessionId))?.lastSeenAt).toBe(iso(at(T0, 3600)));
    expect((await context(two.sessionId))?.lastSeenAt).toBe(iso(T0));
    const listed = await store.listDevices(one.userId, at(T0, 3601), T0, 10);
    expect(listed.live.find((row) => row.id === one.sessionId)?.lastActiveAt).toBe(iso(at(T0, 3600)));
  });
});
