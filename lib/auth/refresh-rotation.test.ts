import { describe, expect, it } from 'vitest';
import { at, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { sessionRow } from '@/test/inspect';
import { getStore } from '../store';
import { getKeyring } from '../crypto/keys';
import { rotateRefreshToken, type RefreshPolicy } from './refresh';
import { signToken } from '../crypto/tokens';

/**
 * rotateRefreshToken rotates the current generation with one conditional write and decides every
 * other case under the write lock. These cases sit on the edges between the two. (That the
 * one-statement rotation lets SQLite checkpoint is the SQLite engine's: lib/store/sqlite/wal.test.ts.)
 */
const T0 = new Date('2030-07-01T08:00:00.000Z');
const POLICY_R: RefreshPolicy = { accessTtlSeconds: POLICY.accessTtlSeconds, graceSeconds: 10 };
const rotate = (token: string, now: Date) => rotateRefreshToken(getKeyring(), token, POLICY_R, now);

type Row = { generation: number; rotatedAt: string; accessExpiresAt: string; lastSeenAt: string; kid: string; revokedAt: string | null };
async function row(sessionId: string): Promise<Row> {
  const stored = await sessionRow(sessionId);
  if (!stored) throw new Error('no such session in test');
  return {
    generation: stored.refreshGeneration,
    rotatedAt: stored.refreshRotatedAt,
    accessExpiresAt: stored.accessExpiresAt,
    lastSeenAt: stored.lastSeenAt,
    kid: stored.kid,
    revokedAt: stored.revokedAt,
  };
}

describe('refresh: the one-statement rotation', () => {
  it('writes every column the rotation moves', async () => {
    const session = await signIn(uniqueEmail('rotation'), T0);
    const now = at(T0, 120);
    const result = await rotate(session.tokens.refreshToken, now);
    expect(result).toMatchObject({ ok: true, rotated: true });
    expect(await row(session.sessionId)).toEqual({
      generation: 1,
      rotatedAt: now.toISOString(),
      accessExpiresAt: at(now, POLICY.accessTtlSeconds).toISOString(),
      lastSeenAt: now.toISOString(),
      kid: getKeyring().current.kid,
      revokedAt: null,
    });
  });

  it('a well-signed token naming another user’s session changes nothing', async () => {
    const victim = await signIn(uniqueEmail('victim'), T0);
    const before = await sessionRow(victim.sessionId);
    expect(before).toBeDefined();
    const foreign = await signToken(getKeyring(), 'refresh', { sessionId: victim.sessionId, userId: 'someone-else', generation: 0, issuedAt: T0, expiresAt: at(T0, 3600) });
    expect(await rotate(foreign, at(T0, 60))).toEqual({ ok: false, error: 'invalid' });
    expect(await sessionRow(victim.sessionId)).toEqual(before);
  });

  it('a revoked session at the current generation is refused, not rotated', async () => {
    const session = await signIn(uniqueEmail('revoked'), T0);
    const scope = { kind: 'session', userId: session.userId, sessionId: session.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(scope, 'sign_out', at(T0, 30))).toEqual({ ok: true, ended: 1 });
    expect(await rotate(session.tokens.refreshToken, at(T0, 60))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'sign_out' } });
    expect((await row(session.sessionId)).generation).toBe(0);
  });

  it('L5: at the exact absolute end the session is expired, one millisecond before it rotates', async () => {
    const early = await signIn(uniqueEmail('boundary'), T0, { persistent: false });
    const end = at(T0, POLICY.browserLifetimeSeconds);
    expect((await rotate(early.tokens.refreshToken, new Date(end.getTime() - 1))).ok).toBe(true);
    const late = await signIn(uniqueEmail('boundary'), T0, { persistent: false });
    // Signed by hand so the token itself is still valid at the session's end (within tolerance).
    const token = await signToken(getKeyring(), 'refresh', { sessionId: late.sessionId, userId: late.userId, generation: 0, issuedAt: T0, expiresAt: at(end, 60) });
    expect(await rotate(token, end)).toEqual({ ok: false, error: 'expired' });
    expect((await row(late.sessionId)).generation).toBe(0);
  });
});
