import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { execute, selectRows, sessionRow } from '@/test/inspect';
import { randomId } from '../ids';
import type { SecurityEventType } from '../store/model';
import { listUserActivity } from './activity';
import { checkAccessToken } from './check';
import { renameDevice, signOutDevice, signOutOtherDevices, signOutThisDevice } from './device-control';
import { normalizeDeviceLabel } from './user-agent';
import { getKeyring } from '../crypto/keys';

const T0 = new Date('2030-04-01T09:00:00.000Z');

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const actor = (s: SignedIn) => ({ userId: s.userId, sessionId: s.sessionId, orgId: 'org-of-test' });

const row = (sessionId: string) => sessionRow(sessionId);

type EventRow = { id: number; type: SecurityEventType; userId: string | null; orgId: string | null; sessionId: string | null; actorUserId: string | null; detail: string | null };
function events(userId: string, type: SecurityEventType): Promise<EventRow[]> {
  return selectRows<EventRow>('SELECT * FROM security_events WHERE user_id = $1 AND type = $2 ORDER BY id', [userId, type]);
}

/** Two people, X with two devices and Y with one. */
async function twoPeople() {
  const xEmail = uniqueEmail('x');
  const x1 = await signIn(xEmail, T0, { label: 'X laptop' });
  const x2 = await signIn(xEmail, at(T0, 1), { label: 'X phone' });
  const y1 = await signIn(uniqueEmail('y'), at(T0, 2), { label: 'Y laptop' });
  return { xEmail, x1, x2, y1 };
}

describe('renameDevice', () => {
  it('renames the actor’s own device, current or not, and logs it', async () => {
    const { x1, x2 } = await twoPeople();
    expect(await renameDevice(actor(x1), x2.sessionId, 'Kitchen phone', at(T0, 10))).toBe(true);
    expect(await renameDevice(actor(x1), x1.sessionId, 'Work laptop', at(T0, 11))).toBe(true);
    expect((await row(x2.sessionId))?.deviceLabel).toBe('Kitchen phone');
    expect((await row(x1.sessionId))?.deviceLabel).toBe('Work laptop');
    expect((await events(x1.userId, 'device_renamed')).map((e) => [e.sessionId, e.detail])).toEqual([
      [x2.sessionId, 'Kitchen phone'],
      [x1.sessionId, 'Work laptop'],
    ]);
  });

  it('changes nothing for another person’s session, an unknown id or an ended session', async () => {
    const { x1, x2, y1 } = await twoPeople();
    expect(await signOutDevice(actor(x1), x2.sessionId, at(T0, 5))).toEqual({ endedCurrent: false });
    expect(await renameDevice(actor(x1), y1.sessionId, 'Mine now', at(T0, 10))).toBe(false);
    expect(await renameDevice(actor(x1), randomId(), 'Mine now', at(T0, 10))).toBe(false);
    expect(await renameDevice(actor(x1), x2.sessionId, 'Mine now', at(T0, 10))).toBe(false);
    expect((await row(y1.sessionId))?.deviceLabel).toBe('Y laptop');
    expect((await row(x2.sessionId))?.deviceLabel).toBe('X phone');
    expect(await events(x1.userId, 'device_renamed')).toEqual([]);
    expect(await events(y1.userId, 'device_renamed')).toEqual([]);
  });

  it('accepts 1 to 64 characters after trimming (the rule the action applies)', () => {
    expect(normalizeDeviceLabel('  Work laptop  ')).toBe('Work laptop');
    expect(normalizeDeviceLabel('x'.repeat(64))).toBe('x'.repeat(64));
    expect(normalizeDeviceLabel('x'.repeat(65))).toBeNull();
    expect(normalizeDeviceLabel('   ')).toBeNull();
    expect(normalizeDeviceLabel(42)).toBeNull();
  });
});

describe('signOutDevice', () => {
  it('names the ended device in the security activity, even once the session row is pruned', async () => {
    const { x1, x2 } = await twoPeople();
    expect(await signOutDevice(actor(x1), x2.sessionId, at(T0, 10))).toEqual({ endedCurrent: false });
    expect((await events(x1.userId, 'session_revoked')).map((e) => e.detail)).toEqual(['X phone']);
    expect(await execute('DELETE FROM sessions WHERE id = $1', [x2.sessionId])).toBe(1);
    const texts = (await listUserActivity(x1.userId)).map((entry) => entry.text);
    expect(texts).toContain('Signed out X phone from another device');
  });

  it('ends another of the actor’s devices as "signed out elsewhere", refused at once by the session check', async () => {
    const { x1, x2 } = await twoPeople();
    expect(await signOutDevice(actor(x1), x2.sessionId, at(T0, 10))).toEqual({ endedCurrent: false });
    expect(await row(x2.sessionId)).toMatchObject({ revokedAt: at(T0, 10).toISOString(), revokedReason: 'sign_out', revokedElsewhere: true });
    // x2's access token has 15 minutes left, yet it is refused, with the reason to show.
    const check = await checkAccessToken(getKeyring(), x2.tokens.accessToken, at(T0, 11), 300);
    expect(check).toEqual({ status: 'ended', notice: expect.objectContaining({ reason: 'sign_out', elsewhere: true }) });
    expect((await checkAccessToken(getKeyring(), x1.tokens.accessToken, at(T0, 11), 300)).status).toBe('valid');
    expect((await events(x1.userId, 'session_revoked')).map((e) => e.sessionId)).toEqual([x2.sessionId]);
  });

  it('choosing the current device signs this device out, as a plain sign-out', async () => {
    const { x1, x2 } = await twoPeople();
    expect(await signOutDevice(actor(x1), x1.sessionId, at(T0, 10))).toEqual({ endedCurrent: true });
    expect(await row(x1.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: false });
    expect((await row(x2.sessionId))?.revokedAt).toBeNull();
    expect((await events(x1.userId, 'sign_out')).map((e) => e.sessionId)).toEqual([x1.sessionId]);
  });

  it('answers another person’s session id exactly like an unknown id, and ends nothing', async () => {
    const { x1, y1 } = await twoPeople();
    const foreign = await signOutDevice(actor(x1), y1.sessionId, at(T0, 10));
    const unknown = await signOutDevice(actor(x1), randomId(), at(T0, 10));
    expect(foreign).toEqual(unknown);
    expect((await row(y1.sessionId))?.revokedAt).toBeNull();
    expect((await row(x1.sessionId))?.revokedAt).toBeNull();
    expect(await events(y1.userId, 'session_revoked')).toEqual([]);
    expect(await events(x1.userId, 'session_revoked')).toEqual([]);
  });
});

describe('signOutOtherDevices', () => {
  it('leaves exactly the acting device, touches nobody else’s, and counts what it ended', async () => {
    const { xEmail, x1, x2, y1 } = await twoPeople();
    const z1 = await signIn(uniqueEmail('z'), at(T0, 3));
    const x3 = await signIn(xEmail, at(T0, 4), { label: 'X tablet' });
    expect(await signOutOtherDevices(actor(x1), at(T0, 10))).toBe(2);
    expect((await row(x1.sessionId))?.revokedAt).toBeNull();
    expect(await row(x2.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect(await row(x3.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect((await row(y1.sessionId))?.revokedAt).toBeNull();
    expect((await row(z1.sessionId))?.revokedAt).toBeNull();
    expect((await events(x1.userId, 'other_sessions_revoked')).map((e) => e.detail)).toEqual(['2']);
    expect(await signOutOtherDevices(actor(x1), at(T0, 20))).toBe(0);
    expect(await events(x1.userId, 'other_sessions_revoked')).toHaveLength(1);
  });
});

describe('signOutThisDevice', () => {
  it('ends the session its token names as a plain sign-out, and nothing when the token’s user is not the session’s', async () => {
    const { x1, x2, y1 } = await twoPeople();
    await signOutThisDevice({ sub: y1.userId, jti: x2.sessionId }, at(T0, 5));
    expect((await row(x2.sessionId))?.revokedAt).toBeNull();
    await signOutThisDevice({ sub: x1.userId, jti: x2.sessionId }, at(T0, 10));
    expect(await row(x2.sessionId)).toMatchObject({ revokedAt: at(T0, 10).toISOString(), revokedReason: 'sign_out', revokedElsewhere: false });
    expect((await row(x1.sessionId))?.revokedAt).toBeNull();
    expect((await events(x1.userId, 'sign_out')).map((e) => [e.sessionId, e.detail])).toEqual([[x2.sessionId, 'X phone']]);
    expect(await events(y1.userId, 'sign_out')).toEqual([]);
  });
});
