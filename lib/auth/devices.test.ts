import { describe, expect, it } from 'vitest';
import { at, contextAt, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { execute } from '@/test/inspect';
import { randomId } from '../ids';
import { getStore } from '../store';
import type { RevokeReason } from '../store/model';
import { activityInWords } from '../text/activity';
import { listDevices, signOutDevice, signOutThisDevice } from './devices';

/**
 * A person's own devices: the list the security page shows, renaming, and the sign-outs without a
 * SECURITY.md line of their own. Who may end which session, and what the list may never carry
 * (L6, P2), is proven in test/security/ending.test.ts.
 */
const DAY = 86_400;
const T0 = new Date('2030-03-01T09:00:00.000Z');

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const actor = (s: SignedIn) => ({ userId: s.userId, sessionId: s.sessionId, orgId: 'unused' });
const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

const list = async (s: SignedIn, now: Date, currentSessionId = s.sessionId) => listDevices(await contextAt(now), s.userId, currentSessionId);
const signOut = async (by: SignedIn, sessionId: string, now: Date) => signOutDevice(await contextAt(now), actor(by), sessionId);
const rename = async (by: SignedIn, sessionId: string, label: string, now: Date) => (await getStore()).renameDevice(actor(by), sessionId, label, now);
const row = async (sessionId: string) => (await getStore()).findSessionForCheck(sessionId);
/** The person's security activity, in the words their page shows. */
const activity = async (userId: string) => activityInWords(await (await getStore()).listActivity({ userId }, 50), 'user').map((entry) => entry.text);

/** Ends one session as the browser itself (or an admin) would, not from another device. */
async function revokeSession(s: SignedIn, reason: RevokeReason, now: Date): Promise<void> {
  const scope = { kind: 'session', userId: s.userId, sessionId: s.sessionId, fromSessionId: null } as const;
  expect(await (await getStore()).revoke(scope, reason, now)).toEqual({ ok: true, ended: 1 });
}

/** Two people, X with two devices and Y with one. */
async function twoPeople() {
  const xEmail = uniqueEmail('x');
  const x1 = await signIn(xEmail, T0, { label: 'X laptop' });
  const x2 = await signIn(xEmail, at(T0, 1), { label: 'X phone' });
  const y1 = await signIn(uniqueEmail('y'), at(T0, 2), { label: 'Y laptop' });
  return { x1, x2, y1 };
}

describe('listDevices: live and ended', () => {
  it('lists live sessions as live and ended ones, with what ended them, as ended', async () => {
    const email = uniqueEmail('lists');
    const laptop = await signIn(email, T0, { label: 'Chrome on macOS' });
    const phone = await signIn(email, at(T0, 60), { label: 'Safari on iOS' });
    const kiosk = await signIn(email, at(T0, 120), { label: 'Firefox on Windows', persistent: false });
    const tablet = await signIn(email, at(T0, 180), { label: 'Old tablet' });
    const borrowed = await signIn(email, at(T0, 240), { label: 'Borrowed laptop' });
    await signOut(laptop, phone.sessionId, at(T0, 300));
    await revokeSession(tablet, 'admin', at(T0, 360));
    await revokeSession(borrowed, 'sign_out', at(T0, 420));

    const soon = await list(laptop, at(T0, 600));
    expect(ids(soon.live)).toEqual([laptop.sessionId, kiosk.sessionId]);
    expect(soon.ended.map((d) => [d.id, d.ending])).toEqual([
      [borrowed.sessionId, 'signed_out'],
      [tablet.sessionId, 'admin'],
      [phone.sessionId, 'signed_out_elsewhere'],
    ]);
    expect(soon.ended[2]?.endedAt).toBe(at(T0, 300).toISOString());
    expect(soon.live[1]?.persistent).toBe(false);

    // The browser-session sign-in reaches its 12-hour end: it moves to "ended", as expired.
    const later = await list(laptop, at(T0, 13 * 3600));
    expect(ids(later.live)).toEqual([laptop.sessionId]);
    expect(later.ended[0]).toMatchObject({ id: kiosk.sessionId, ending: 'expired', endedAt: at(T0, 120 + POLICY.browserLifetimeSeconds).toISOString() });
  });

  it('shows only the signed-in user’s own sessions', async () => {
    const mine = await signIn(uniqueEmail('mine'), T0);
    const theirs = await signIn(uniqueEmail('theirs'), T0);
    await revokeSession(theirs, 'sign_out', at(T0, 10));
    const shown = await list(mine, at(T0, 20));
    expect(ids(shown.live)).toEqual([mine.sessionId]);
    expect(shown.ended).toEqual([]);
  });

  it('keeps ended sessions for 30 days and then stops showing them', async () => {
    const email = uniqueEmail('window');
    const keeper = await signIn(email, T0);
    const gone = await signIn(email, at(T0, 60));
    await signOut(keeper, gone.sessionId, at(T0, DAY));
    // Later sign-ins keep the account alive past the first sessions' own 30-day end.
    const current = await signIn(email, at(T0, 20 * DAY));
    const endedIdsAt = async (seconds: number) => ids((await list(current, at(T0, seconds))).ended);
    const endedIds = (days: number) => endedIdsAt(days * DAY);
    expect(await endedIds(30)).toContain(gone.sessionId);
    expect(await endedIdsAt(31 * DAY - 1)).toContain(gone.sessionId);
    expect(await endedIdsAt(31 * DAY + 1)).not.toContain(gone.sessionId);
    // keeper expired unrevoked at day 30 and is shown as ended until day 60.
    expect(await endedIds(45)).toContain(keeper.sessionId);
    expect(await endedIds(61)).not.toContain(keeper.sessionId);
  });

  it('puts the current device first, then the others by last activity', async () => {
    const email = uniqueEmail('order');
    const [a, b, c, d] = [await signIn(email, T0), await signIn(email, at(T0, 1)), await signIn(email, at(T0, 2)), await signIn(email, at(T0, 3))];
    if (!a || !b || !c || !d) throw new Error('sign-in failed in test');
    // Each device is seen again (its session checked) at its own time; c is the one looking.
    for (const [s, seconds] of [[a, 100], [b, 400], [c, 50], [d, 300]] as const) {
      expect(await (await getStore()).touchLastSeen(s.sessionId, at(T0, seconds), 1)).toBe('written');
    }
    const shown = await list(a, at(T0, 500), c.sessionId);
    expect(ids(shown.live)).toEqual([c.sessionId, b.sessionId, d.sessionId, a.sessionId]);
    expect(shown.live.map((x) => x.current)).toEqual([true, false, false, false]);
  });

  it('keeps the type recorded at sign-in after a rename; a session recorded without one is "unknown"', async () => {
    const email = uniqueEmail('typed');
    const phone = await signIn(email, T0, { label: 'Safari on iOS', deviceType: 'mobile' });
    const legacy = await signIn(email, at(T0, 1), { label: 'Safari on iOS' });
    expect(await rename(phone, phone.sessionId, 'Work phone', at(T0, 2))).toBe(true);
    // Set-up the store has no method for: a row from before the type was recorded.
    expect(await execute('UPDATE sessions SET device_type = NULL WHERE id = $1', [legacy.sessionId])).toBe(1);
    const { live } = await list(phone, at(T0, 3));
    expect(live.map((device) => [device.label, device.type])).toEqual([
      ['Work phone', 'mobile'],
      ['Safari on iOS', 'unknown'],
    ]);
  });
});

describe('renaming a device', () => {
  it('renames the actor’s own device, current or not, and it shows in their activity', async () => {
    const { x1, x2 } = await twoPeople();
    expect(await rename(x1, x2.sessionId, 'Kitchen phone', at(T0, 10))).toBe(true);
    expect(await rename(x1, x1.sessionId, 'Work laptop', at(T0, 11))).toBe(true);
    expect((await row(x2.sessionId))?.deviceLabel).toBe('Kitchen phone');
    expect((await row(x1.sessionId))?.deviceLabel).toBe('Work laptop');
    const texts = await activity(x1.userId);
    expect(texts).toContain('Renamed X phone to Kitchen phone');
    expect(texts).toContain('Renamed X laptop to Work laptop');
  });

  it('changes nothing for another person’s session, an unknown id or an ended session', async () => {
    const { x1, x2, y1 } = await twoPeople();
    expect(await signOut(x1, x2.sessionId, at(T0, 5))).toEqual({ endedCurrent: false });
    expect(await rename(x1, y1.sessionId, 'Mine now', at(T0, 10))).toBe(false);
    expect(await rename(x1, randomId(), 'Mine now', at(T0, 10))).toBe(false);
    expect(await rename(x1, x2.sessionId, 'Mine now', at(T0, 10))).toBe(false);
    expect((await row(y1.sessionId))?.deviceLabel).toBe('Y laptop');
    expect((await row(x2.sessionId))?.deviceLabel).toBe('X phone');
    for (const userId of [x1.userId, y1.userId]) expect((await activity(userId)).filter((text) => text.startsWith('Renamed'))).toEqual([]);
  });
});

describe('signing devices out', () => {
  it('names the ended device in the security activity, even once the session row is pruned', async () => {
    const { x1, x2 } = await twoPeople();
    expect(await signOut(x1, x2.sessionId, at(T0, 10))).toEqual({ endedCurrent: false });
    // Set-up: the row goes as pruning would take it once its retention is over (the event stays longer).
    expect(await execute('DELETE FROM sessions WHERE id = $1', [x2.sessionId])).toBe(1);
    expect(await activity(x1.userId)).toContain('Signed out X phone from another device');
  });

  it('this browser’s own sign-out ends the session its token names, and nothing when the token’s user is not the session’s', async () => {
    const { x1, x2, y1 } = await twoPeople();
    await signOutThisDevice(await contextAt(at(T0, 5)), { sub: y1.userId, jti: x2.sessionId });
    expect((await row(x2.sessionId))?.revokedAt).toBeNull();
    await signOutThisDevice(await contextAt(at(T0, 10)), { sub: x1.userId, jti: x2.sessionId });
    expect(await row(x2.sessionId)).toMatchObject({ revokedAt: at(T0, 10).toISOString(), revokedReason: 'sign_out', revokedElsewhere: false });
    expect((await list(x1, at(T0, 11))).ended).toMatchObject([{ id: x2.sessionId, ending: 'signed_out' }]);
    expect((await row(x1.sessionId))?.revokedAt).toBeNull();
    expect(await activity(x1.userId)).toContain('Signed out on X phone');
    expect((await activity(y1.userId)).filter((text) => text.startsWith('Signed out'))).toEqual([]);
  });
});
