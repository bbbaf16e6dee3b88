import { describe, expect, it } from 'vitest';
import { at, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { getConnection, getDb } from '../db';
import { getKeyring } from './keys';
import { rotateRefreshToken, type RefreshPolicy } from './refresh';
import { revokeSession } from './sessions';
import { signToken } from './tokens';

/**
 * rotateRefreshToken rotates the current generation with one conditional UPDATE and decides every
 * other case under BEGIN IMMEDIATE. These cases sit on the edges between the two.
 */
const T0 = new Date('2030-07-01T08:00:00.000Z');
const POLICY_R: RefreshPolicy = { accessTtlSeconds: POLICY.accessTtlSeconds, graceSeconds: 10 };
const rotate = (token: string, now: Date) => rotateRefreshToken(getDb(), getKeyring(), token, POLICY_R, now);

type Row = { generation: number; rotatedAt: string; accessExpiresAt: string; lastSeenAt: string; kid: string; revokedAt: string | null };
const row = (sessionId: string): Row =>
  getConnection()
    .sqlite.prepare(
      `SELECT refresh_generation AS generation, refresh_rotated_at AS rotatedAt, access_expires_at AS accessExpiresAt,
              last_seen_at AS lastSeenAt, kid, revoked_at AS revokedAt FROM sessions WHERE id = ?`,
    )
    .get(sessionId) as Row;

describe('refresh: the one-statement rotation', () => {
  it('writes every column the rotation moves', async () => {
    const session = await signIn(uniqueEmail('rotation'), T0);
    const now = at(T0, 120);
    const result = await rotate(session.tokens.refreshToken, now);
    expect(result).toMatchObject({ ok: true, rotated: true });
    expect(row(session.sessionId)).toEqual({
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
    const before = row(victim.sessionId);
    const foreign = await signToken(getKeyring(), 'refresh', { sessionId: victim.sessionId, userId: 'someone-else', generation: 0, issuedAt: T0, expiresAt: at(T0, 3600) });
    expect(await rotate(foreign, at(T0, 60))).toEqual({ ok: false, error: 'invalid' });
    expect(row(victim.sessionId)).toEqual(before);
  });

  it('a revoked session at the current generation is refused, not rotated', async () => {
    const session = await signIn(uniqueEmail('revoked'), T0);
    revokeSession(getDb(), { userId: session.userId, sessionId: session.sessionId }, 'sign_out', at(T0, 30));
    expect(await rotate(session.tokens.refreshToken, at(T0, 60))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'sign_out' } });
    expect(row(session.sessionId).generation).toBe(0);
  });

  it('L5: at the exact absolute end the session is expired, one millisecond before it rotates', async () => {
    const early = await signIn(uniqueEmail('boundary'), T0, { persistent: false });
    const end = at(T0, POLICY.browserLifetimeSeconds);
    expect((await rotate(early.tokens.refreshToken, new Date(end.getTime() - 1))).ok).toBe(true);
    const late = await signIn(uniqueEmail('boundary'), T0, { persistent: false });
    // Signed by hand so the token itself is still valid at the session's end (within tolerance).
    const token = await signToken(getKeyring(), 'refresh', { sessionId: late.sessionId, userId: late.userId, generation: 0, issuedAt: T0, expiresAt: at(end, 60) });
    expect(await rotate(token, end)).toEqual({ ok: false, error: 'expired' });
    expect(row(late.sessionId).generation).toBe(0);
  });
});

describe('refresh: the rotation lets SQLite checkpoint', () => {
  it('each one-statement rotation runs to completion, so the automatic checkpoint keeps the WAL short', async () => {
    // SQLite runs its automatic checkpoint only when a statement steps to the end; an UPDATE
    // ... RETURNING read for its first row and then reset never triggers it, and a server doing
    // nothing but refreshes grew its WAL without bound (70 MB in one benchmark run).
    const sqlite = getConnection().sqlite;
    const before = sqlite.pragma('wal_autocheckpoint', { simple: true });
    sqlite.pragma('wal_autocheckpoint = 1');
    try {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      let tokens = (await signIn(uniqueEmail('wal'), T0)).tokens;
      for (let i = 1; i <= 20; i += 1) {
        const result = await rotate(tokens.refreshToken, at(T0, 100 * i));
        if (!result.ok || !result.rotated) throw new Error('rotation failed');
        tokens = result.tokens;
      }
      const [state] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
      expect(state?.log).toBeLessThan(10);
    } finally {
      sqlite.pragma(`wal_autocheckpoint = ${String(before)}`);
    }
  });
});
