import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at, kidOf, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows, sessionRow } from '@/test/inspect';
import { getStore } from '../store';
import { normalizeEmail } from '../users';
import { checkAccessToken } from './check';
import { startChallenge } from './codes';
import type { IssuedTokens } from '../web/cookies';
import { getKeyring, parseKeyring, type Keyring } from '../crypto/keys';
import { rotateRefreshToken, type RefreshPolicy } from './refresh';
import { completeSignIn } from './sign-in';
import { signToken, verifyToken } from '../crypto/tokens';

const T0 = new Date('2030-03-01T08:00:00.000Z');
const GRACE = 10;
const REFRESH_POLICY: RefreshPolicy = { accessTtlSeconds: POLICY.accessTtlSeconds, graceSeconds: GRACE };

const rotate = (token: string, now: Date, keyring: Keyring = getKeyring()) => rotateRefreshToken(keyring, token, REFRESH_POLICY, now);
const check = (token: string, now: Date) => checkAccessToken(getKeyring(), token, now, 300);
const generationOf = async (token: string, now: Date): Promise<number | undefined> => (await verifyToken(getKeyring(), 'refresh', token, now))?.gen;

type Row = { generation: number; refreshExpiresAt: string; revokedAt: string | null; revokedReason: string | null; kid: string; persistent: boolean };
async function row(sessionId: string): Promise<Row> {
  const stored = await sessionRow(sessionId);
  if (!stored) throw new Error('no such session in test');
  const { refreshGeneration: generation, refreshExpiresAt, revokedAt, revokedReason, kid, persistent } = stored;
  return { generation, refreshExpiresAt, revokedAt, revokedReason, kid, persistent };
}

async function rotated(token: string, now: Date): Promise<IssuedTokens> {
  const result = await rotate(token, now);
  if (!result.ok) throw new Error(`refresh failed: ${result.error}`);
  return result.tokens;
}

/** A session at T0 rotated `times` times, 100 s apart (each outside the previous grace window). */
async function rotatedSession(times: number, options: { persistent?: boolean } = {}) {
  const session = await signIn(uniqueEmail('refresh'), T0, options);
  const generations: IssuedTokens[] = [session.tokens];
  for (let i = 1; i <= times; i += 1) generations.push(await rotated(generations[i - 1]?.refreshToken ?? '', at(T0, 100 * i)));
  const current = generations[times] as IssuedTokens;
  return { session, generations, current, lastRotation: at(T0, 100 * times) };
}

describe('refresh: L3 rotation and reuse detection', () => {
  it('L3: rotation moves refresh_generation by exactly 1 and returns new tokens', async () => {
    const { session, current } = await rotatedSession(0);
    const result = await rotate(current.refreshToken, at(T0, 100));
    if (!result.ok) throw new Error('refresh failed');
    expect(result).toMatchObject({ rotated: true, sessionId: session.sessionId });
    expect((await row(session.sessionId)).generation).toBe(1);
    expect(result.tokens.refreshToken).not.toBe(current.refreshToken);
    expect(result.tokens.accessToken).not.toBe(current.accessToken);
    expect(await generationOf(result.tokens.refreshToken, at(T0, 100))).toBe(1);
    expect(result.tokens.accessExpiresAt).toEqual(at(T0, 100 + POLICY.accessTtlSeconds));
  });

  it('L3: the previous generation inside the grace window gets the current generation’s tokens', async () => {
    const { session, generations, lastRotation } = await rotatedSession(1);
    const result = await rotate(generations[0]?.refreshToken ?? '', at(lastRotation, GRACE - 1));
    if (!result.ok) throw new Error(`grace refused: ${result.error}`);
    expect(result.rotated).toBe(false);
    expect(await generationOf(result.tokens.refreshToken, at(lastRotation, GRACE))).toBe(1);
    expect(await row(session.sessionId)).toMatchObject({ generation: 1, revokedAt: null });
    expect((await check(result.tokens.accessToken, at(lastRotation, GRACE))).status).toBe('valid');
    expect(await rotated(result.tokens.refreshToken, at(lastRotation, 60))).toBeDefined(); // it is a working token
  });

  it('L3: the previous generation outside the grace window revokes the session (reuse_detected)', async () => {
    const { session, generations, lastRotation } = await rotatedSession(1);
    const result = await rotate(generations[0]?.refreshToken ?? '', at(lastRotation, GRACE + 1));
    expect(result).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
    expect(await row(session.sessionId)).toMatchObject({ revokedReason: 'reuse_detected', revokedAt: at(lastRotation, GRACE + 1).toISOString() });
    const events = await selectRows("SELECT * FROM security_events WHERE type = 'refresh_reuse_detected' AND session_id = $1", [session.sessionId]);
    expect(events).toHaveLength(1);
  });

  it('L3/L2: replaying generation 0 after 3 rotations revokes the session and kills its current tokens', async () => {
    const { session, generations, current, lastRotation } = await rotatedSession(3);
    const replay = at(lastRotation, 100);
    expect(await rotate(generations[0]?.refreshToken ?? '', replay)).toMatchObject({ ok: false, error: 'revoked' });
    expect((await row(session.sessionId)).revokedReason).toBe('reuse_detected');
    expect(await rotate(current.refreshToken, at(replay, 1))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
    expect(await check(current.accessToken, at(replay, 1))).toMatchObject({ status: 'ended', notice: { reason: 'reuse_detected' } });
  });

  it('L3: generation n-2 inside the grace window is reuse', async () => {
    const { session, generations } = await rotatedSession(0);
    const first = await rotated(generations[0]?.refreshToken ?? '', at(T0, 100));
    await rotated(first.refreshToken, at(T0, 101));
    expect(await rotate(generations[0]?.refreshToken ?? '', at(T0, 102))).toMatchObject({ ok: false, error: 'revoked' });
    expect((await row(session.sessionId)).revokedReason).toBe('reuse_detected');
  });

  it('L3: a forged token with the victim’s jti but another secret revokes nothing', async () => {
    const { session, current, lastRotation } = await rotatedSession(1);
    const forger = parseKeyring(`t2:${randomBytes(32).toString('base64url')}`); // same kid, wrong secret
    const forged = await signToken(forger, 'refresh', { sessionId: session.sessionId, userId: session.userId, generation: 0, issuedAt: T0, expiresAt: at(T0, 3600) });
    expect(await rotate(forged, at(lastRotation, 60))).toEqual({ ok: false, error: 'invalid' });
    expect(await row(session.sessionId)).toMatchObject({ generation: 1, revokedAt: null });
    expect((await rotate(current.refreshToken, at(lastRotation, 61))).ok).toBe(true);
  });

  it('T3: an access token posted to refresh fails and changes nothing', async () => {
    const { session, current } = await rotatedSession(0);
    expect(await rotate(current.accessToken, at(T0, 10))).toEqual({ ok: false, error: 'invalid' });
    expect(await row(session.sessionId)).toMatchObject({ generation: 0, revokedAt: null });
  });

  it('L2: a revoked session’s refresh token is refused with the reason', async () => {
    const { session, current } = await rotatedSession(0);
    const scope = { kind: 'session', userId: session.userId, sessionId: session.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(scope, 'admin', at(T0, 5))).toEqual({ ok: true, ended: 1 });
    expect(await rotate(current.refreshToken, at(T0, 6))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'admin' } });
  });
});

describe('refresh: L4 concurrency', () => {
  it('L4: 20 parallel refreshes with one token all succeed and move the generation exactly once', async () => {
    const { session, current } = await rotatedSession(0);
    const now = at(T0, 100);
    const results = await Promise.all(Array.from({ length: 20 }, () => rotate(current.refreshToken, now)));
    expect(results.filter((result) => result.ok)).toHaveLength(20);
    expect(results.filter((result) => result.ok && result.rotated)).toHaveLength(1);
    expect(await row(session.sessionId)).toMatchObject({ generation: 1, revokedAt: null });
    const generations = await Promise.all(results.map((result) => (result.ok ? generationOf(result.tokens.refreshToken, now) : -1)));
    expect(new Set(generations)).toEqual(new Set([1]));
  });
});

describe('refresh: L5 absolute lifetime', () => {
  it('L5: refresh never extends refresh_expires_at; each new refresh token expires at the absolute end', async () => {
    const { session, generations } = await rotatedSession(3);
    const end = at(T0, POLICY.persistentLifetimeSeconds);
    expect((await row(session.sessionId)).refreshExpiresAt).toBe(end.toISOString());
    for (const tokens of generations) {
      expect((await verifyToken(getKeyring(), 'refresh', tokens.refreshToken, at(T0, 1000)))?.exp).toBe(end.getTime() / 1000);
      expect(tokens.refreshExpiresAt).toEqual(end);
    }
  });

  it('L5: after the absolute end refresh fails with expired (and the access token never outlives it)', async () => {
    const { current } = await rotatedSession(0);
    const end = at(T0, POLICY.persistentLifetimeSeconds);
    const last = await rotated(current.refreshToken, at(end, -60));
    expect(last.accessExpiresAt).toEqual(end);
    expect(await rotate(last.refreshToken, at(end, 1))).toEqual({ ok: false, error: 'expired' });
    expect((await rotate(last.refreshToken, at(end, 3600))).ok).toBe(false);
  });

  it('L5: a non-persistent session has the short browser-session lifetime', async () => {
    const { session, current } = await rotatedSession(0, { persistent: false });
    const end = at(T0, POLICY.browserLifetimeSeconds);
    expect(await row(session.sessionId)).toMatchObject({ persistent: false, refreshExpiresAt: end.toISOString() });
    const late = await rotated(current.refreshToken, at(end, -60));
    expect(late).toMatchObject({ persistent: false, refreshExpiresAt: end });
    expect(await rotate(late.refreshToken, at(end, 1))).toEqual({ ok: false, error: 'expired' });
  });
});

describe('refresh: key versions', () => {
  it('the kid column moves to the newest key on refresh', async () => {
    const t1Entry = (process.env.SIGNET_KEYS ?? '').split(',').find((entry) => entry.startsWith('t1:')) ?? '';
    const oldKeyring = parseKeyring(t1Entry);
    const email = normalizeEmail(uniqueEmail('rotation'));
    const challenge = await startChallenge(oldKeyring, email, T0);
    const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceLabel: null, deviceType: 'desktop' as const, persistent: true };
    const session = await completeSignIn(oldKeyring, input, POLICY, T0);
    if (!session.ok) throw new Error('sign-in under t1 failed');
    expect((await row(session.sessionId)).kid).toBe('t1');
    expect(kidOf(session.tokens.refreshToken)).toBe('t1');

    const next = await rotated(session.tokens.refreshToken, at(T0, 100));
    expect((await row(session.sessionId)).kid).toBe('t2');
    expect(kidOf(next.refreshToken)).toBe('t2');
    expect(kidOf(next.accessToken)).toBe('t2');
    expect((await check(next.accessToken, at(T0, 101))).status).toBe('valid');
  });
});
