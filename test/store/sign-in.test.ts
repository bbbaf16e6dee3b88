import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS_PER_CODE, MAX_FAILURES_PER_WINDOW, MAX_SENDS_PER_WINDOW } from '@/lib/rules';
import { randomId } from '@/lib/ids';
import { getStore, type StoredChallenge } from '@/lib/store';
import { at, CODE, confirmInput, context, DAY, iso, localPart, newEmail, openEmail, rightCode, ROOMY_BUDGET, sendCode, signIn, wrongCode } from './fixtures';
import { count } from '@/test/inspect';

/** Signing in: createChallenge (C3 caps), findChallenge, confirmSignIn (C1, C3, C4). */

const T0 = new Date('2031-05-01T09:00:00.000Z');
const WINDOW = 15 * 60;

async function confirm(challengeId: string, now: Date, codeMatches = rightCode) {
  return (await getStore()).confirmSignIn(confirmInput(challengeId, now, {}, codeMatches), now);
}

async function send(email: string, now: Date, id = randomId()): Promise<{ id: string; sent: boolean }> {
  const outcome = await (await getStore()).createChallenge({ id, email, codeHmac: CODE, kid: 't2', expiresAt: at(now, 600) }, now, ROOMY_BUDGET);
  return { id, sent: outcome === 'sent' };
}

describe('createChallenge and findChallenge', () => {
  it('C1: a stored code names its address while open; not once used, expired or unknown', async () => {
    const email = newEmail('open');
    const id = await sendCode(email, T0);
    expect(await openEmail(id, at(T0, 599))).toBe(email);
    expect(await openEmail(id, at(T0, 601))).toBeNull();
    expect(await openEmail(randomId(), T0)).toBeNull();
    expect(await confirm(id, at(T0, 30))).not.toBeNull();
    expect(await openEmail(id, at(T0, 31))).toBeNull();
  });

  it('C1: a resend expires the previous code: it no longer confirms, the new one does', async () => {
    const email = newEmail('resend');
    const first = await sendCode(email, T0);
    const second = await sendCode(email, at(T0, 20));
    expect(await openEmail(first, at(T0, 21))).toBeNull();
    expect(await openEmail(second, at(T0, 21))).toBe(email);
    expect(await confirm(first, at(T0, 22))).toBeNull();
    expect(await confirm(second, at(T0, 23))).not.toBeNull();
  });

  it(`C3: ${MAX_SENDS_PER_WINDOW} codes per address per 15 minutes; the next is refused and not stored; others unaffected; the window reopens`, async () => {
    const email = newEmail('sends');
    for (let i = 0; i < MAX_SENDS_PER_WINDOW; i += 1) expect((await send(email, at(T0, i))).sent).toBe(true);
    const refused = await send(email, at(T0, 10));
    expect(refused.sent).toBe(false);
    expect(await openEmail(refused.id, at(T0, 11))).toBeNull();
    expect(await confirm(refused.id, at(T0, 11))).toBeNull();
    expect((await send(newEmail('other'), at(T0, 12))).sent).toBe(true);
    expect((await send(email, at(T0, WINDOW + 60))).sent).toBe(true);
  });

  it(`C3: ${MAX_FAILURES_PER_WINDOW} wrong codes lock the address: no code is sent, and the right code of its open challenge is refused`, async () => {
    const email = newEmail('locked');
    const a = await sendCode(email, T0);
    for (let i = 0; i < 4; i += 1) expect(await confirm(a, at(T0, 1), wrongCode)).toBeNull();
    const b = await sendCode(email, at(T0, 2));
    for (let i = 0; i < 4; i += 1) expect(await confirm(b, at(T0, 3), wrongCode)).toBeNull();
    const c = await sendCode(email, at(T0, 4));
    for (let i = 0; i < 2; i += 1) expect(await confirm(c, at(T0, 5), wrongCode)).toBeNull();
    // 10 failures: the open challenge c has had only 2 attempts, yet its right code is refused.
    expect(await confirm(c, at(T0, 6))).toBeNull();
    expect((await send(email, at(T0, 7))).sent).toBe(false);
    expect((await send(newEmail('bystander'), at(T0, 7))).sent).toBe(true);
    // The lock lasts the window, no longer.
    const later = await sendCode(email, at(T0, WINDOW + 60));
    expect(await confirm(later, at(T0, WINDOW + 61))).not.toBeNull();
  });
});

describe('confirmSignIn', () => {
  it('C3: each wrong code is counted on the stored challenge; after 5 even the right code is refused', async () => {
    const email = newEmail('attempts');
    const id = await sendCode(email, T0);
    const seen: StoredChallenge[] = [];
    const wrong = (challenge: StoredChallenge): boolean => {
      seen.push(challenge);
      return false;
    };
    for (let i = 0; i < MAX_ATTEMPTS_PER_CODE; i += 1) expect(await confirm(id, at(T0, 10 + i), wrong)).toBeNull();
    expect(seen[0]).toEqual({ id, email, codeHmac: CODE, kid: 't2', expiresAt: iso(at(T0, 600)), attempts: 0, consumedAt: null, createdAt: iso(T0) });
    expect(seen.map((challenge) => challenge.attempts)).toEqual([0, 1, 2, 3, 4]);
    expect(await confirm(id, at(T0, 20))).toBeNull();
    expect(await openEmail(id, at(T0, 21))).toBe(email); // refused, not consumed
  });

  it('C3: 4 wrong codes, then the right one still works', async () => {
    const id = await sendCode(newEmail('four'), T0);
    for (let i = 0; i < 4; i += 1) expect(await confirm(id, at(T0, 1), wrongCode)).toBeNull();
    expect(await confirm(id, at(T0, 2))).not.toBeNull();
  });

  it('C1: a code works 1 s before its expiry and is refused at the instant it expires', async () => {
    const expired = await sendCode(newEmail('late'), T0);
    expect(await confirm(expired, at(T0, 600))).toBeNull();
    const inTime = await sendCode(newEmail('in-time'), T0);
    expect(await confirm(inTime, at(T0, 599))).not.toBeNull();
    expect(await confirm(randomId(), T0)).toBeNull();
  });

  it('C4: a first sign-in creates the user, a personal org they own and the session, with a sign_in event', async () => {
    const store = await getStore();
    const email = newEmail('new');
    const id = await sendCode(email, T0);
    const signed = await confirm(id, at(T0, 30));
    expect(signed).toEqual({ sessionId: expect.any(String), userId: expect.any(String), orgId: expect.any(String), email, newUser: true, newDevice: false, deviceLabel: 'Laptop' });
    if (!signed) return;
    expect(await store.listUserOrgs(signed.userId)).toEqual([{ orgId: signed.orgId, name: `${localPart(email)}'s org`, role: 'owner', personal: true }]);
    expect(await context(signed.sessionId)).toMatchObject({ userId: signed.userId, orgId: signed.orgId, email, role: 'owner', createdAt: iso(at(T0, 30)) });
    const [event] = await store.listActivity({ userId: signed.userId }, 10);
    expect(event).toMatchObject({ type: 'sign_in', at: iso(at(T0, 30)), userId: signed.userId, userEmail: email, detail: 'Laptop', deviceLabel: 'Laptop' });
    expect(await count('SELECT count(*) AS n FROM users WHERE email = $1', [email])).toBe(1);
  });

  it('C1: a code works once: confirming it again is refused and creates nothing', async () => {
    const store = await getStore();
    const id = await sendCode(newEmail('once'), T0);
    const signed = await confirm(id, at(T0, 1));
    expect(signed).not.toBeNull();
    expect(await confirm(id, at(T0, 2))).toBeNull();
    expect((await store.listDevices(signed!.userId, at(T0, 3), T0, 10)).live).toHaveLength(1);
  });

  it('a returning user gets the same account and org; newDevice is false for a familiar device, true for a new one or after 90 days away', async () => {
    const email = newEmail('returning');
    const first = await signIn(email, T0);
    expect(first).toMatchObject({ newUser: true, newDevice: false });
    const again = await signIn(email, at(T0, 60));
    expect(again).toMatchObject({ userId: first.userId, orgId: first.orgId, email, newUser: false, newDevice: false });
    expect(again.sessionId).not.toBe(first.sessionId);
    const phone = await signIn(email, at(T0, 120), { device: { fingerprint: 'b'.repeat(64), label: 'Phone', type: 'mobile' } });
    expect(phone).toMatchObject({ userId: first.userId, newUser: false, newDevice: true });
    const back = await signIn(email, at(T0, 100 * DAY));
    expect(back).toMatchObject({ userId: first.userId, newUser: false, newDevice: true });
  });
});
