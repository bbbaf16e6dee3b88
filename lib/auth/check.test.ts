import { describe, expect, it } from 'vitest';
import { at, contextAt, signIn, uniqueEmail } from '@/test/helpers';
import { execute } from '@/test/inspect';
import { getKeyring } from '../crypto/keys';
import { signToken } from '../crypto/tokens';
import { checkAccessToken } from './check';
import { listDevices } from './devices';

/**
 * The check's own behaviour. What it proves for SECURITY.md (revocation, lifetimes, hostile
 * tokens) is in test/security/: lifecycle.test.ts (L2, L5), tokens.test.ts (T1–T4), web.test.ts (W4).
 */
const T0 = new Date('2030-04-01T10:00:00.000Z');
const INTERVAL = 300; // POLICY.lastSeenIntervalSeconds

const check = async (token: string | undefined, now: Date) => checkAccessToken(await contextAt(now), token);
const newSession = () => signIn(uniqueEmail('check'), T0);

describe('check: the one server-side session check', () => {
  it('a valid access token gives valid with its session', async () => {
    const session = await newSession();
    const result = await check(session.tokens.accessToken, at(T0, 10));
    expect(result.status).toBe('valid');
    expect(result.status === 'valid' && result.session).toMatchObject({ sessionId: session.sessionId, userId: session.userId, role: 'owner' });
  });

  it('a user no longer in the session’s org gives none', async () => {
    const session = await newSession();
    expect((await check(session.tokens.accessToken, at(T0, 10))).status).toBe('valid');
    // Set-up the store has no method for: a membership gone while the session row is untouched.
    expect(await execute('DELETE FROM memberships WHERE user_id = $1', [session.userId])).toBe(1);
    expect(await check(session.tokens.accessToken, at(T0, 11))).toEqual({ status: 'none' });
  });

  it('a well-signed token whose jti is unknown, or whose sub is not the session’s user, gives none', async () => {
    const session = await newSession();
    const sign = (sessionId: string, userId: string) => signToken(getKeyring(), 'access', { sessionId, userId, issuedAt: T0, expiresAt: at(T0, 900) });
    expect(await check(await sign('a'.repeat(24), session.userId), at(T0, 10))).toEqual({ status: 'none' });
    expect(await check(await sign(session.sessionId, 'someone-else'), at(T0, 10))).toEqual({ status: 'none' });
    expect((await check(await sign(session.sessionId, session.userId), at(T0, 10))).status).toBe('valid');
  });
});

describe('check: last-seen throttle', () => {
  it(`moves the device's last activity at most once per ${INTERVAL} s`, async () => {
    const session = await newSession();
    const token = session.tokens.accessToken;
    const lastActive = async (now: Date) => (await listDevices(await contextAt(now), session.userId, session.sessionId)).live[0]?.lastActiveAt;
    expect(await lastActive(T0)).toBe(T0.toISOString());
    await check(token, at(T0, 60));
    expect(await lastActive(at(T0, 60))).toBe(T0.toISOString());
    await check(token, at(T0, INTERVAL + 1));
    expect(await lastActive(at(T0, INTERVAL + 1))).toBe(at(T0, INTERVAL + 1).toISOString());
    await check(token, at(T0, INTERVAL + 2));
    await check(token, at(T0, 2 * INTERVAL));
    expect(await lastActive(at(T0, 2 * INTERVAL))).toBe(at(T0, INTERVAL + 1).toISOString());
    await check(token, at(T0, 2 * INTERVAL + 2));
    expect(await lastActive(at(T0, 2 * INTERVAL + 2))).toBe(at(T0, 2 * INTERVAL + 2).toISOString());
  });
});
