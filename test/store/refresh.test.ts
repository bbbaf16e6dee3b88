import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { at, context, events, iso, localPart, newEmail, rotate, signIn } from './fixtures';

/** rotateRefresh: rotation, the grace window and reuse detection (L3, L4), expiry (L5), keys (L8). */

const T0 = new Date('2031-06-01T08:00:00.000Z');

describe('rotateRefresh', () => {
  it('L3: the current generation rotates, and each rotation needs the next generation', async () => {
    const signed = await signIn(newEmail('rotate'), T0);
    expect(await rotate(signed, 0, at(T0, 60))).toEqual({ outcome: 'rotated', persistent: true });
    expect(await rotate(signed, 1, at(T0, 120))).toEqual({ outcome: 'rotated', persistent: true });
    expect(await rotate(signed, 2, at(T0, 180))).toEqual({ outcome: 'rotated', persistent: true });
    expect((await context(signed.sessionId))?.revokedAt).toBeNull();

    const browser = await signIn(newEmail('browser'), T0, { device: { persistent: false }, lifetimeSeconds: 12 * 3600 });
    expect(await rotate(browser, 0, at(T0, 60))).toEqual({ outcome: 'rotated', persistent: false });
  });

  it('L4: the previous generation inside the grace window gets grace and moves nothing', async () => {
    const signed = await signIn(newEmail('grace'), T0);
    expect(await rotate(signed, 0, at(T0, 60))).toEqual({ outcome: 'rotated', persistent: true });
    expect(await rotate(signed, 0, at(T0, 65))).toEqual({ outcome: 'grace', persistent: true });
    expect(await rotate(signed, 0, at(T0, 70))).toEqual({ outcome: 'grace', persistent: true }); // the window's last instant
    // The generation is still 1: grace did not move it.
    expect(await rotate(signed, 1, at(T0, 71))).toEqual({ outcome: 'rotated', persistent: true });
    expect((await context(signed.sessionId))?.revokedAt).toBeNull();
  });

  it('L3: the previous generation after the grace window is reuse: the session is revoked (reuse_detected) with one refresh_reuse_detected event', async () => {
    const email = newEmail('replay');
    const signed = await signIn(email, T0);
    expect(await rotate(signed, 0, at(T0, 60))).toMatchObject({ outcome: 'rotated' });
    const T1 = at(T0, 71);
    const notice = { reason: 'reuse_detected', at: iso(T1), elsewhere: false, orgName: `${localPart(email)}'s org`, from: null };
    expect(await rotate(signed, 0, T1)).toEqual({ outcome: 'revoked', notice });
    expect(await context(signed.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'reuse_detected', revokedElsewhere: false });
    const reuse = await events({ userId: signed.userId }, 'refresh_reuse_detected');
    expect(reuse).toHaveLength(1);
    expect(reuse[0]).toMatchObject({ at: iso(T1), userId: signed.userId, orgName: notice.orgName, deviceLabel: 'Laptop' });
    // The current generation is dead too (thief and owner alike), and asking again writes nothing more.
    expect(await rotate(signed, 1, at(T0, 80))).toEqual({ outcome: 'revoked', notice });
    expect(await events({ userId: signed.userId }, 'refresh_reuse_detected')).toHaveLength(1);
  });

  it('L3: generation n-2 is reuse even inside the grace window', async () => {
    const signed = await signIn(newEmail('n-minus-2'), T0);
    await rotate(signed, 0, at(T0, 60));
    await rotate(signed, 1, at(T0, 61));
    expect(await rotate(signed, 0, at(T0, 62))).toMatchObject({ outcome: 'revoked', notice: { reason: 'reuse_detected' } });
    expect((await context(signed.sessionId))?.revokedReason).toBe('reuse_detected');
  });

  it('a token naming another user, or an unknown session, is invalid and changes nothing', async () => {
    const victim = await signIn(newEmail('victim'), T0);
    const other = await signIn(newEmail('other'), T0);
    expect(await rotate({ sessionId: victim.sessionId, userId: other.userId }, 0, at(T0, 10))).toEqual({ outcome: 'invalid' });
    expect(await rotate({ sessionId: victim.sessionId, userId: other.userId }, 5, at(T0, 11))).toEqual({ outcome: 'invalid' });
    expect(await rotate({ sessionId: 'no-such-session-000000', userId: victim.userId }, 0, at(T0, 12))).toEqual({ outcome: 'invalid' });
    expect((await context(victim.sessionId))?.revokedAt).toBeNull();
    expect(await rotate(victim, 0, at(T0, 13))).toEqual({ outcome: 'rotated', persistent: true });
  });

  it('L5: at and after its absolute end a session answers expired, and nothing is revoked', async () => {
    const signed = await signIn(newEmail('ending'), T0, { lifetimeSeconds: 3600 });
    expect(await rotate(signed, 0, at(T0, 3599))).toMatchObject({ outcome: 'rotated' });
    expect(await rotate(signed, 1, at(T0, 3600))).toEqual({ outcome: 'expired' });
    expect(await rotate(signed, 0, at(T0, 7200))).toEqual({ outcome: 'expired' });
    expect(await context(signed.sessionId)).toMatchObject({ revokedAt: null, refreshExpiresAt: iso(at(T0, 3600)) });
  });

  it('L6: a session ended from another device answers revoked with the notice its device is shown', async () => {
    const store = await getStore();
    const email = newEmail('ended');
    const laptop = await signIn(email, T0);
    const phone = await signIn(email, at(T0, 5), { device: { label: 'Phone' } });
    const T1 = at(T0, 30);
    await store.revoke({ kind: 'session', userId: phone.userId, sessionId: phone.sessionId, fromSessionId: laptop.sessionId }, 'sign_out', T1);
    const notice = { reason: 'sign_out', at: iso(T1), elsewhere: true, orgName: `${localPart(email)}'s org`, from: 'Laptop' };
    expect(await rotate(phone, 0, at(T0, 40))).toEqual({ outcome: 'revoked', notice });
    expect(await rotate(phone, 0, at(T0, 41))).toEqual({ outcome: 'revoked', notice }); // and it stays that way
    expect(await rotate(laptop, 0, at(T0, 42))).toMatchObject({ outcome: 'rotated' });
  });

  it('L8: a rotation moves the session to the key it is given', async () => {
    const store = await getStore();
    const [older, newer] = [`old-${Date.now()}`, `new-${Date.now()}`];
    const signed = await signIn(newEmail('keys'), T0, { kid: older });
    expect((await store.liveSessionsByKid(at(T0, 1))).get(older)).toBe(1);
    expect(await rotate(signed, 0, at(T0, 60), newer)).toMatchObject({ outcome: 'rotated' });
    const counts = await store.liveSessionsByKid(at(T0, 61));
    expect(counts.get(older) ?? 0).toBe(0);
    expect(counts.get(newer)).toBe(1);
  });
});
