import { describe, expect, it } from 'vitest';
import { at, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { execute } from '@/test/inspect';
import { getStore } from '../store';
import type { RevokeReason } from '../store/model';
import { checkAccessToken } from './check';
import { signOutDevice } from './device-control';
import { deviceTypeFromLabel, endingInWords, listDevices } from './device-list';
import { getKeyring } from './keys';
import { refreshPolicy } from './policy';
import { rotateRefreshToken } from './refresh';

const DAY = 86_400;
const T0 = new Date('2030-03-01T09:00:00.000Z');

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const actor = (s: SignedIn, orgId = 'unused') => ({ userId: s.userId, sessionId: s.sessionId, orgId });
const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

async function setLastSeen(sessionId: string, when: Date): Promise<void> {
  expect(await execute('UPDATE sessions SET last_seen_at = $1 WHERE id = $2', [when.toISOString(), sessionId])).toBe(1);
}

/** Ends one session as the browser itself (or an admin) would, not from another device. */
async function revokeSession(s: SignedIn, reason: RevokeReason, now: Date): Promise<void> {
  const scope = { kind: 'session', userId: s.userId, sessionId: s.sessionId, fromSessionId: null } as const;
  expect(await (await getStore()).revoke(scope, reason, now)).toEqual({ ok: true, ended: 1 });
}

describe('listDevices: live and ended', () => {
  it('lists live sessions as live and ended ones, with what ended them, as ended', async () => {
    const email = uniqueEmail('lists');
    const laptop = await signIn(email, T0, { label: 'Chrome on macOS' });
    const phone = await signIn(email, at(T0, 60), { label: 'Safari on iOS' });
    const kiosk = await signIn(email, at(T0, 120), { label: 'Firefox on Windows', persistent: false });
    const tablet = await signIn(email, at(T0, 180), { label: 'Old tablet' });
    const borrowed = await signIn(email, at(T0, 240), { label: 'Borrowed laptop' });
    await signOutDevice(actor(laptop), phone.sessionId, at(T0, 300));
    await revokeSession(tablet, 'admin', at(T0, 360));
    await revokeSession(borrowed, 'sign_out', at(T0, 420));

    const soon = await listDevices(laptop.userId, laptop.sessionId, at(T0, 600));
    expect(ids(soon.live)).toEqual([laptop.sessionId, kiosk.sessionId]);
    expect(soon.ended.map((d) => [d.id, d.ending])).toEqual([
      [borrowed.sessionId, 'signed_out'],
      [tablet.sessionId, 'admin'],
      [phone.sessionId, 'signed_out_elsewhere'],
    ]);
    expect(soon.ended[2]?.endedAt).toBe(at(T0, 300).toISOString());
    expect(soon.live[1]?.persistent).toBe(false);

    // The browser-session sign-in reaches its 12-hour end: it moves to "ended", as expired.
    const later = await listDevices(laptop.userId, laptop.sessionId, at(T0, 13 * 3600));
    expect(ids(later.live)).toEqual([laptop.sessionId]);
    expect(later.ended[0]).toMatchObject({ id: kiosk.sessionId, ending: 'expired', endedAt: at(T0, 120 + POLICY.browserLifetimeSeconds).toISOString() });
  });

  it('shows only the signed-in user’s own sessions', async () => {
    const mine = await signIn(uniqueEmail('mine'), T0);
    const theirs = await signIn(uniqueEmail('theirs'), T0);
    await revokeSession(theirs, 'sign_out', at(T0, 10));
    const list = await listDevices(mine.userId, mine.sessionId, at(T0, 20));
    expect(ids(list.live)).toEqual([mine.sessionId]);
    expect(list.ended).toEqual([]);
  });

  it('keeps ended sessions for 30 days and then stops showing them', async () => {
    const email = uniqueEmail('window');
    const keeper = await signIn(email, T0);
    const gone = await signIn(email, at(T0, 60));
    await signOutDevice(actor(keeper), gone.sessionId, at(T0, DAY));
    // Later sign-ins keep the account alive past the first sessions' own 30-day end.
    const current = await signIn(email, at(T0, 20 * DAY));
    const endedIdsAt = async (seconds: number) => ids((await listDevices(current.userId, current.sessionId, at(T0, seconds))).ended);
    const endedIds = (days: number) => endedIdsAt(days * DAY);
    expect(await endedIds(30)).toContain(gone.sessionId);
    expect(await endedIdsAt(31 * DAY - 1)).toContain(gone.sessionId);
    expect(await endedIdsAt(31 * DAY + 1)).not.toContain(gone.sessionId);
    // keeper expired unrevoked at day 30 and is shown as ended until day 60.
    expect(await endedIds(45)).toContain(keeper.sessionId);
    expect(await endedIds(61)).not.toContain(keeper.sessionId);
  });
});

describe('listDevices: ordering', () => {
  it('puts the current device first, then the others by last activity', async () => {
    const email = uniqueEmail('order');
    const a = await signIn(email, T0, { label: 'A' });
    const b = await signIn(email, at(T0, 1), { label: 'B' });
    const c = await signIn(email, at(T0, 2), { label: 'C' });
    const d = await signIn(email, at(T0, 3), { label: 'D' });
    await setLastSeen(a.sessionId, at(T0, 100));
    await setLastSeen(b.sessionId, at(T0, 400));
    await setLastSeen(c.sessionId, at(T0, 50));
    await setLastSeen(d.sessionId, at(T0, 300));
    expect(ids((await listDevices(a.userId, c.sessionId, at(T0, 500))).live)).toEqual([c.sessionId, b.sessionId, d.sessionId, a.sessionId]);
    expect((await listDevices(a.userId, c.sessionId, at(T0, 500))).live.map((x) => x.current)).toEqual([true, false, false, false]);
  });
});

describe('listDevices: what reaches the browser', () => {
  it('carries ids, labels, times, flags and reasons only: no fingerprint, key version or token', async () => {
    const email = uniqueEmail('fields');
    const one = await signIn(email, T0);
    const two = await signIn(email, at(T0, 1));
    await signOutDevice(actor(one), two.sessionId, at(T0, 2));
    const list = await listDevices(one.userId, one.sessionId, at(T0, 3));
    expect(Object.keys(list.live[0] ?? {}).sort()).toEqual(['current', 'deviceBound', 'id', 'label', 'lastActiveAt', 'persistent', 'signedInAt', 'type']);
    expect(Object.keys(list.ended[0] ?? {}).sort()).toEqual(['endedAt', 'ending', 'id', 'label', 'signedInAt', 'type']);
    const text = JSON.stringify(list);
    // The key version is short ("t2") and could occur inside a random id, so look for it as a value.
    for (const secret of ['f'.repeat(64), one.tokens.accessToken, one.tokens.refreshToken, `"${getKeyring().current.kid}"`]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('last active time', () => {
  it('the session check writes it at most once per interval, and a refresh writes it too', async () => {
    const signedIn = await signIn(uniqueEmail('seen'), T0);
    const lastActive = async (now: Date) => (await listDevices(signedIn.userId, signedIn.sessionId, now)).live[0]?.lastActiveAt;
    const check = (now: Date) => checkAccessToken(getKeyring(), signedIn.tokens.accessToken, now, 300);

    expect((await check(at(T0, 60))).status).toBe('valid');
    expect(await lastActive(at(T0, 60))).toBe(T0.toISOString()); // within the interval: no write
    await check(at(T0, 301));
    expect(await lastActive(at(T0, 301))).toBe(at(T0, 301).toISOString());
    await check(at(T0, 400));
    await check(at(T0, 500));
    expect(await lastActive(at(T0, 500))).toBe(at(T0, 301).toISOString());

    const refreshed = await rotateRefreshToken(getKeyring(), signedIn.tokens.refreshToken, refreshPolicy(), at(T0, 700));
    expect(refreshed.ok).toBe(true);
    expect(await lastActive(at(T0, 700))).toBe(at(T0, 700).toISOString());
  });
});

describe('device type and reasons in words', () => {
  it('reads the coarse type from a "Browser on System" label and knows nothing about renamed devices', () => {
    expect(deviceTypeFromLabel('Safari on iOS')).toBe('mobile');
    expect(deviceTypeFromLabel('Chrome on Android')).toBe('mobile');
    expect(deviceTypeFromLabel('Chrome on macOS')).toBe('desktop');
    expect(deviceTypeFromLabel('Firefox on Windows')).toBe('desktop');
    expect(deviceTypeFromLabel('Work laptop')).toBe('unknown');
    expect(deviceTypeFromLabel('Unknown device')).toBe('unknown');
    expect(deviceTypeFromLabel(null)).toBe('unknown');
  });

  it('keeps the type recorded at sign-in after a rename, and guesses from the label for older rows', async () => {
    const email = uniqueEmail('typed');
    const phone = await signIn(email, T0, { label: 'Work phone', deviceType: 'mobile' });
    const legacy = await signIn(email, at(T0, 1), { label: 'Safari on iOS' });
    expect(await execute('UPDATE sessions SET device_type = NULL WHERE id = $1', [legacy.sessionId])).toBe(1);
    const { live } = await listDevices(phone.userId, phone.sessionId, at(T0, 2));
    expect(live.map((device) => [device.label, device.type])).toEqual([
      ['Work phone', 'mobile'],
      ['Safari on iOS', 'mobile'],
    ]);
  });

  it('words every ending the way the page shows it', () => {
    expect(endingInWords('signed_out_elsewhere')).toBe('Signed out from another device');
    expect(endingInWords('admin')).toBe('Ended by an org admin');
    expect(endingInWords('rotation')).toBe('Ended when a signing key was retired');
    expect(endingInWords('reuse_detected')).toBe('Ended: its refresh token was reused');
  });
});
