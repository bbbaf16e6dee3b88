import { getStore } from '../store';
import type { EndedNotice } from '../store/types';
import type { IssuedTokens } from './cookies';
import { issueTokens } from './issue';
import type { Keyring } from './keys';
import { accessExpiry } from './rules';
import { verifyToken } from './tokens';

export type RefreshPolicy = { accessTtlSeconds: number; graceSeconds: number };

export type RefreshResult =
  | { ok: true; tokens: IssuedTokens; sessionId: string; rotated: boolean }
  | { ok: false; error: 'invalid' | 'expired' }
  // DBSC: the session is bound to a browser key and this refresh brought no proof from it.
  | { ok: false; error: 'device_bound'; sessionId: string }
  | { ok: false; error: 'revoked'; notice: EndedNotice; sessionId: string };

/**
 * Rotates a refresh token (RFC 9700 §4.14.2). The token must carry the session's current
 * generation, which moves on by one. The immediately previous generation is still honoured for
 * `graceSeconds` after the rotation and receives the current generation's tokens, so two tabs
 * refreshing together both stay signed in. Anything older is a replay: the session is revoked
 * (`reuse_detected`), which also kills its current tokens. The absolute end never moves.
 */
export async function rotateRefreshToken(
  keyring: Keyring,
  token: string | undefined,
  policy: RefreshPolicy,
  now: Date,
  deviceProven = false, // DBSC: only lib/dbsc's refresh, after checking the proof, says true
): Promise<RefreshResult> {
  // Signature first: a forged token naming a victim's jti must not reach the reuse logic.
  const claims = await verifyToken(keyring, 'refresh', token, now);
  if (!claims) return { ok: false, error: 'invalid' };

  const refreshExpiresAt = new Date(claims.exp * 1000);
  const rotation = await (await getStore()).rotateRefresh(
    {
      sessionId: claims.jti,
      userId: claims.sub,
      generation: claims.gen,
      accessExpiresAt: accessExpiry(now, policy.accessTtlSeconds, refreshExpiresAt),
      kid: keyring.current.kid, // the session moves to the newest key as it refreshes
      graceSeconds: policy.graceSeconds,
      deviceProven,
    },
    now,
  );
  switch (rotation.outcome) {
    case 'invalid':
    case 'expired':
      return { ok: false, error: rotation.outcome };
    case 'revoked':
      return { ok: false, error: 'revoked', notice: rotation.notice, sessionId: claims.jti };
    case 'device_bound':
      return { ok: false, error: 'device_bound', sessionId: claims.jti };
    case 'rotated':
    case 'grace': {
      // The pair is for generation claims.gen + 1, the current one in both cases. It is signed
      // after the database work, so the write lock covers only that.
      const subject = { sessionId: claims.jti, userId: claims.sub, generation: claims.gen + 1, refreshExpiresAt, persistent: rotation.persistent };
      const tokens = await issueTokens(keyring, subject, policy.accessTtlSeconds, now);
      return { ok: true, tokens, sessionId: claims.jti, rotated: rotation.outcome === 'rotated' };
    }
  }
}
