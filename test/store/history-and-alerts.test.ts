import { describe, expect, it } from 'vitest';
import { randomId } from '@/lib/ids';
import { getStore } from '@/lib/store';
import { at, confirmInput, context, events, FINGERPRINT, iso, newEmail, sendCode, signIn, wrongCode } from './fixtures';

/**
 * Issue 13 on both engines: what explains a refused code (findChallenge, addressHistory), a
 * device keeping its name, "sign out everywhere", and the alert email's single-use link (L11).
 */
const T0 = new Date('2031-09-01T08:00:00.000Z');
const PHONE = 'b'.repeat(64);
const HASH = (n: number) => n.toString(16).padStart(64, '0');

describe('findChallenge and addressHistory (C7)', () => {
  it('C7: a challenge reads back in any state without its HMAC; the history counts the window and says when the address last signed in', async () => {
    const store = await getStore();
    const email = newEmail('explain');
    const first = await sendCode(email, T0);
    await store.confirmSignIn(confirmInput(first, at(T0, 1), {}, wrongCode), at(T0, 1));
    expect(await store.findChallenge(first)).toEqual({ id: first, email, expiresAt: iso(at(T0, 600)), attempts: 1, consumedAt: null, createdAt: iso(T0) });
    const second = await sendCode(email, at(T0, 20));
    expect(await store.confirmSignIn(confirmInput(second, at(T0, 21)), at(T0, 21))).not.toBeNull();
    expect(await store.findChallenge(second)).toMatchObject({ consumedAt: iso(at(T0, 21)), attempts: 0 });
    expect(await store.findChallenge(randomId())).toBeNull();
    expect(Object.keys((await store.findChallenge(second)) ?? {})).not.toContain('codeHmac');

    expect(await store.addressHistory(email, at(T0, 30))).toEqual({
      sends: [
        { createdAt: iso(T0), attempts: 1 },
        { createdAt: iso(at(T0, 20)), attempts: 0 },
      ],
      lastSignInAt: iso(at(T0, 21)),
    });
    // Past the window the sends are gone; the last sign-in is remembered.
    expect(await store.addressHistory(email, at(T0, 15 * 60 + 21))).toEqual({ sends: [], lastSignInAt: iso(at(T0, 21)) });
    expect(await store.addressHistory(newEmail('nobody'), T0)).toEqual({ sends: [], lastSignInAt: null });
  });
});

describe('a device keeps its name (issue 13, item 7)', () => {
  it('signing in again from the same fingerprint with the suggested label left as it was gives the session the name that device last had', async () => {
    const store = await getStore();
    const email = newEmail('keeps');
    const phone = await signIn(email, T0, { device: { label: 'Safari on iOS', fingerprint: PHONE, type: 'mobile' } });
    await store.renameDevice({ userId: phone.userId, orgId: phone.orgId }, phone.sessionId, 'Anna’s phone', at(T0, 10));
    await store.revoke({ kind: 'session', userId: phone.userId, sessionId: phone.sessionId, fromSessionId: null }, 'sign_out', at(T0, 20));

    const again = await signIn(email, at(T0, 30), { device: { label: 'Safari on iOS', labelIsSuggestion: true, fingerprint: PHONE } });
    expect(again.deviceLabel).toBe('Anna’s phone');
    expect(await context(again.sessionId)).toMatchObject({ deviceLabel: 'Anna’s phone' });
    // A name typed on purpose wins; another fingerprint has no earlier name; nor has another user.
    expect((await signIn(email, at(T0, 40), { device: { label: 'Kitchen', labelIsSuggestion: false, fingerprint: PHONE } })).deviceLabel).toBe('Kitchen');
    expect((await signIn(email, at(T0, 50), { device: { label: 'Chrome on macOS', labelIsSuggestion: true, fingerprint: FINGERPRINT } })).deviceLabel).toBe('Chrome on macOS');
    const stranger = await signIn(newEmail('stranger'), at(T0, 60), { device: { label: 'Safari on iOS', labelIsSuggestion: true, fingerprint: PHONE } });
    expect(stranger.deviceLabel).toBe('Safari on iOS');
  });
});

describe('signing out everywhere', () => {
  it('ends every live session of the person, the acting one included, with one event naming the device it came from', async () => {
    const store = await getStore();
    const email = newEmail('everywhere');
    const laptop = await signIn(email, T0, { device: { label: 'Work laptop' } });
    const phone = await signIn(email, at(T0, 1), { device: { label: 'Phone', fingerprint: PHONE } });
    const bystander = await signIn(newEmail('bystander'), at(T0, 2));
    const scope = { kind: 'all_sessions', userId: laptop.userId, sessionId: laptop.sessionId, orgId: laptop.orgId } as const;
    expect(await store.revoke(scope, 'sign_out', at(T0, 10))).toEqual({ ok: true, ended: 2 });
    expect(await context(phone.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true, revokedFrom: 'Work laptop' });
    expect((await context(laptop.sessionId))?.revokedAt).toBe(iso(at(T0, 10)));
    expect((await context(bystander.sessionId))?.revokedAt).toBeNull();
    expect(await events({ userId: laptop.userId }, 'all_sessions_revoked')).toMatchObject([{ detail: '2', deviceLabel: 'Work laptop' }]);
    expect(await store.revoke(scope, 'sign_out', at(T0, 11))).toEqual({ ok: true, ended: 0 });
  });
});

describe('the alert email’s "Not you?" token (L11)', () => {
  async function newDeviceWithToken(hash: string) {
    const email = newEmail('alerted');
    const laptop = await signIn(email, T0);
    const phone = await signIn(email, at(T0, 5), { device: { label: 'Safari on iOS', fingerprint: PHONE, type: 'mobile' }, alertTokenHash: hash });
    return { laptop, phone };
  }

  it('L11: its hash is kept only for a new device; it finds that live session, ends it once as reported, and is dead afterwards', async () => {
    const store = await getStore();
    const { laptop, phone } = await newDeviceWithToken(HASH(1));
    expect(phone.newDevice).toBe(true);
    // A familiar device (or a first sign-in) keeps no token: there is no email to carry one.
    const familiar = await signIn(laptop.email, at(T0, 6), { alertTokenHash: HASH(2) });
    expect(familiar.newDevice).toBe(false);
    expect(await store.findAlertSession(HASH(2), at(T0, 7))).toBeNull();

    expect(await store.findAlertSession(HASH(1), at(T0, 7))).toEqual({ label: 'Safari on iOS', deviceType: 'mobile', signedInAt: iso(at(T0, 5)) });
    expect(await store.revoke({ kind: 'alert_link', tokenHash: HASH(1) }, 'reported', at(T0, 8))).toEqual({ ok: true, ended: 1 });
    expect(await context(phone.sessionId)).toMatchObject({ revokedReason: 'reported', revokedElsewhere: false, revokedFrom: null });
    expect((await context(laptop.sessionId))?.revokedAt).toBeNull();
    expect(await events({ userId: phone.userId }, 'session_reported')).toMatchObject([{ at: iso(at(T0, 8)), deviceLabel: 'Safari on iOS' }]);
    // Single use: the same token finds and ends nothing more.
    expect(await store.findAlertSession(HASH(1), at(T0, 9))).toBeNull();
    expect(await store.revoke({ kind: 'alert_link', tokenHash: HASH(1) }, 'reported', at(T0, 9))).toEqual({ ok: true, ended: 0 });
    expect(await store.revoke({ kind: 'alert_link', tokenHash: HASH(99) }, 'reported', at(T0, 9))).toEqual({ ok: true, ended: 0 });
  });

  it('L11: dead when the session ends another way (signed out elsewhere, or past its end): it ends nothing then', async () => {
    const store = await getStore();
    const { laptop, phone } = await newDeviceWithToken(HASH(3));
    await store.revoke({ kind: 'session', userId: phone.userId, sessionId: phone.sessionId, fromSessionId: laptop.sessionId }, 'sign_out', at(T0, 8));
    expect(await store.findAlertSession(HASH(3), at(T0, 9))).toBeNull();
    expect(await store.revoke({ kind: 'alert_link', tokenHash: HASH(3) }, 'reported', at(T0, 9))).toEqual({ ok: true, ended: 0 });
    expect(await context(phone.sessionId)).toMatchObject({ revokedReason: 'sign_out' });

    const { phone: brief } = await newDeviceWithToken(HASH(4));
    const pastItsEnd = at(T0, 31 * 86_400);
    expect(await store.findAlertSession(HASH(4), pastItsEnd)).toBeNull();
    expect(await store.revoke({ kind: 'alert_link', tokenHash: HASH(4) }, 'reported', pastItsEnd)).toEqual({ ok: true, ended: 0 });
    expect((await context(brief.sessionId))?.revokedAt).toBeNull();
  });
});
