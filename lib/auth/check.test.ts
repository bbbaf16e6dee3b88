import { describe, expect, it } from 'vitest';
import { at, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { execute, sessionRow } from '@/test/inspect';
import { orgOf } from '@/test/org-fixtures';
import { getStore } from '../store';
import { checkAccessToken, describeTokenSession } from './check';
import { getKeyring } from '../crypto/keys';
import { rotateRefreshToken } from './refresh';
import { signToken } from '../crypto/tokens';

const T0 = new Date('2030-04-01T10:00:00.000Z');
const INTERVAL = 300; // last-seen write interval, seconds

const check = (token: string | undefined, now: Date) => checkAccessToken(getKeyring(), token, now, INTERVAL);
const lastSeen = async (sessionId: string): Promise<string | undefined> => (await sessionRow(sessionId))?.lastSeenAt;
const newSession = (options: { persistent?: boolean } = {}) => signIn(uniqueEmail('check'), T0, options);

describe('check: the one server-side session check', () => {
  it('a valid access token gives valid with its session', async () => {
    const session = await newSession();
    const result = await check(session.tokens.accessToken, at(T0, 10));
    expect(result.status).toBe('valid');
    expect(result.status === 'valid' && result.session).toMatchObject({ sessionId: session.sessionId, userId: session.userId, role: 'owner' });
  });

  it('L2: a revoked session’s still-unexpired access token gives ended with the reason', async () => {
    const session = await newSession();
    expect((await check(session.tokens.accessToken, at(T0, 10))).status).toBe('valid');
    const scope = { kind: 'session', userId: session.userId, sessionId: session.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(scope, 'admin', at(T0, 20))).toEqual({ ok: true, ended: 1 });
    const result = await check(session.tokens.accessToken, at(T0, 21));
    expect(result).toMatchObject({ status: 'ended', notice: { reason: 'admin', at: at(T0, 20).toISOString(), elsewhere: false } });
  });

  it('L2/L6: signing out other devices ends them at once with "elsewhere" and keeps this one', async () => {
    const email = uniqueEmail('devices');
    const laptop = await signIn(email, T0);
    const phone = await signIn(email, at(T0, 60));
    const scope = { kind: 'other_sessions', userId: laptop.userId, keepSessionId: laptop.sessionId, orgId: await orgOf(laptop.sessionId) } as const;
    expect(await (await getStore()).revoke(scope, 'sign_out', at(T0, 120))).toEqual({ ok: true, ended: 1 });
    expect(await check(phone.tokens.accessToken, at(T0, 121))).toMatchObject({ status: 'ended', notice: { reason: 'sign_out', elsewhere: true } });
    expect((await check(laptop.tokens.accessToken, at(T0, 121))).status).toBe('valid');
  });

  it('L5: after the absolute end the session is none, even with an access token inside its clock tolerance', async () => {
    const session = await newSession({ persistent: false });
    const end = at(T0, POLICY.browserLifetimeSeconds);
    const late = await rotateRefreshToken(getKeyring(), session.tokens.refreshToken, { accessTtlSeconds: 900, graceSeconds: 10 }, at(end, -60));
    if (!late.ok) throw new Error('refresh failed');
    expect((await check(late.tokens.accessToken, at(end, -1))).status).toBe('valid');
    expect(await check(late.tokens.accessToken, at(end, 2))).toEqual({ status: 'none' });
  });

  it('a user removed from the org gives none', async () => {
    const session = await newSession();
    expect((await check(session.tokens.accessToken, at(T0, 10))).status).toBe('valid');
    expect(await execute('DELETE FROM memberships WHERE user_id = $1', [session.userId])).toBe(1);
    expect(await check(session.tokens.accessToken, at(T0, 11))).toEqual({ status: 'none' });
  });

  it('T3: a refresh token in the access cookie gives none', async () => {
    const session = await newSession();
    expect(await check(session.tokens.refreshToken, at(T0, 10))).toEqual({ status: 'none' });
  });

  it('a well-signed token whose jti is unknown, or whose sub is not the session’s user, gives none', async () => {
    const session = await newSession();
    const sign = (sessionId: string, userId: string) => signToken(getKeyring(), 'access', { sessionId, userId, issuedAt: T0, expiresAt: at(T0, 900) });
    expect(await check(await sign('a'.repeat(24), session.userId), at(T0, 10))).toEqual({ status: 'none' });
    expect(await check(await sign(session.sessionId, 'someone-else'), at(T0, 10))).toEqual({ status: 'none' });
    expect((await check(await sign(session.sessionId, session.userId), at(T0, 10))).status).toBe('valid');
  });

  it('W4: missing and garbage tokens give none, never an exception', async () => {
    for (const token of [undefined, '', 'not-a-jwt', 'x'.repeat(10_000)]) {
      expect(await check(token, T0)).toEqual({ status: 'none' });
    }
  });
});

describe('check: last-seen throttle', () => {
  it(`writes last_seen_at at most once per ${INTERVAL} s`, async () => {
    const session = await newSession();
    const token = session.tokens.accessToken;
    expect(await lastSeen(session.sessionId)).toBe(T0.toISOString());
    await check(token, at(T0, 60));
    expect(await lastSeen(session.sessionId)).toBe(T0.toISOString());
    await check(token, at(T0, INTERVAL + 1));
    expect(await lastSeen(session.sessionId)).toBe(at(T0, INTERVAL + 1).toISOString());
    await check(token, at(T0, INTERVAL + 2));
    await check(token, at(T0, 2 * INTERVAL));
    expect(await lastSeen(session.sessionId)).toBe(at(T0, INTERVAL + 1).toISOString());
    await check(token, at(T0, 2 * INTERVAL + 2));
    expect(await lastSeen(session.sessionId)).toBe(at(T0, 2 * INTERVAL + 2).toISOString());
  });

  it('describeTokenSession reports the state but writes nothing', async () => {
    const session = await newSession();
    const result = await describeTokenSession(getKeyring(), 'refresh', session.tokens.refreshToken, at(T0, 3600));
    expect(result.status).toBe('valid');
    expect(await lastSeen(session.sessionId)).toBe(T0.toISOString());
  });
});
