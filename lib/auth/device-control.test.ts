import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { getDb } from '../db';
import { securityEvents, sessions } from '../db/schema';
import { randomId } from '../ids';
import { listUserActivity } from './activity';
import { checkAccessToken } from './check';
import { renameDevice, signOutDevice, signOutOtherDevices } from './device-control';
import { normalizeDeviceLabel } from './device';
import { getKeyring } from './keys';

const T0 = new Date('2030-04-01T09:00:00.000Z');

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const actor = (s: SignedIn) => ({ userId: s.userId, sessionId: s.sessionId, orgId: 'org-of-test' });

function row(sessionId: string) {
  return getDb().select().from(sessions).where(eq(sessions.id, sessionId)).get();
}

function events(userId: string, type: (typeof securityEvents.$inferSelect)['type']) {
  return getDb()
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, type)))
    .all();
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
    expect(renameDevice(getDb(), actor(x1), x2.sessionId, 'Kitchen phone', at(T0, 10))).toBe(true);
    expect(renameDevice(getDb(), actor(x1), x1.sessionId, 'Work laptop', at(T0, 11))).toBe(true);
    expect(row(x2.sessionId)?.deviceLabel).toBe('Kitchen phone');
    expect(row(x1.sessionId)?.deviceLabel).toBe('Work laptop');
    expect(events(x1.userId, 'device_renamed').map((e) => [e.sessionId, e.detail])).toEqual([
      [x2.sessionId, 'Kitchen phone'],
      [x1.sessionId, 'Work laptop'],
    ]);
  });

  it('changes nothing for another person’s session, an unknown id or an ended session', async () => {
    const { x1, x2, y1 } = await twoPeople();
    signOutDevice(getDb(), actor(x1), x2.sessionId, at(T0, 5));
    expect(renameDevice(getDb(), actor(x1), y1.sessionId, 'Mine now', at(T0, 10))).toBe(false);
    expect(renameDevice(getDb(), actor(x1), randomId(), 'Mine now', at(T0, 10))).toBe(false);
    expect(renameDevice(getDb(), actor(x1), x2.sessionId, 'Mine now', at(T0, 10))).toBe(false);
    expect(row(y1.sessionId)?.deviceLabel).toBe('Y laptop');
    expect(row(x2.sessionId)?.deviceLabel).toBe('X phone');
    expect(events(x1.userId, 'device_renamed')).toEqual([]);
    expect(events(y1.userId, 'device_renamed')).toEqual([]);
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
    signOutDevice(getDb(), actor(x1), x2.sessionId, at(T0, 10));
    expect(events(x1.userId, 'session_revoked').map((e) => e.detail)).toEqual(['X phone']);
    getDb().delete(sessions).where(eq(sessions.id, x2.sessionId)).run();
    const texts = listUserActivity(getDb(), x1.userId).map((entry) => entry.text);
    expect(texts).toContain('Signed out X phone from another device');
  });

  it('ends another of the actor’s devices as "signed out elsewhere", refused at once by the session check', async () => {
    const { x1, x2 } = await twoPeople();
    expect(signOutDevice(getDb(), actor(x1), x2.sessionId, at(T0, 10))).toEqual({ endedCurrent: false });
    expect(row(x2.sessionId)).toMatchObject({ revokedAt: at(T0, 10).toISOString(), revokedReason: 'sign_out', revokedElsewhere: true });
    // x2's access token has 15 minutes left, yet it is refused, with the reason to show.
    const check = await checkAccessToken(getDb(), getKeyring(), x2.tokens.accessToken, at(T0, 11), 300);
    expect(check).toEqual({ status: 'ended', notice: expect.objectContaining({ reason: 'sign_out', elsewhere: true }) });
    expect((await checkAccessToken(getDb(), getKeyring(), x1.tokens.accessToken, at(T0, 11), 300)).status).toBe('valid');
    expect(events(x1.userId, 'session_revoked').map((e) => e.sessionId)).toEqual([x2.sessionId]);
  });

  it('choosing the current device signs this device out, as a plain sign-out', async () => {
    const { x1, x2 } = await twoPeople();
    expect(signOutDevice(getDb(), actor(x1), x1.sessionId, at(T0, 10))).toEqual({ endedCurrent: true });
    expect(row(x1.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: false });
    expect(row(x2.sessionId)?.revokedAt).toBeNull();
    expect(events(x1.userId, 'sign_out').map((e) => e.sessionId)).toEqual([x1.sessionId]);
  });

  it('answers another person’s session id exactly like an unknown id, and ends nothing', async () => {
    const { x1, y1 } = await twoPeople();
    const foreign = signOutDevice(getDb(), actor(x1), y1.sessionId, at(T0, 10));
    const unknown = signOutDevice(getDb(), actor(x1), randomId(), at(T0, 10));
    expect(foreign).toEqual(unknown);
    expect(row(y1.sessionId)?.revokedAt).toBeNull();
    expect(row(x1.sessionId)?.revokedAt).toBeNull();
    expect(events(y1.userId, 'session_revoked')).toEqual([]);
    expect(events(x1.userId, 'session_revoked')).toEqual([]);
  });
});

describe('signOutOtherDevices', () => {
  it('leaves exactly the acting device, touches nobody else’s, and counts what it ended', async () => {
    const { xEmail, x1, x2, y1 } = await twoPeople();
    const z1 = await signIn(uniqueEmail('z'), at(T0, 3));
    const x3 = await signIn(xEmail, at(T0, 4), { label: 'X tablet' });
    expect(signOutOtherDevices(getDb(), actor(x1), at(T0, 10))).toBe(2);
    expect(row(x1.sessionId)?.revokedAt).toBeNull();
    expect(row(x2.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect(row(x3.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect(row(y1.sessionId)?.revokedAt).toBeNull();
    expect(row(z1.sessionId)?.revokedAt).toBeNull();
    expect(events(x1.userId, 'other_sessions_revoked').map((e) => e.detail)).toEqual(['2']);
    expect(signOutOtherDevices(getDb(), actor(x1), at(T0, 20))).toBe(0);
    expect(events(x1.userId, 'other_sessions_revoked')).toHaveLength(1);
  });
});
