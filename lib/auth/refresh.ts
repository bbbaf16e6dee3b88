import { verifyToken } from '../crypto/tokens';
import { accessExpiry } from '../rules';
import type { EndedNotice } from '../store/types';
import type { Context } from './context';
import { issueTokens, type IssuedTokens } from './issue';

export type RefreshResult =
  | { ok: true; tokens: IssuedTokens; sessionId: string; rotated: boolean }
  | { ok: false; error: 'invalid' | 'expired' }
  // DBSC: the session is bound to a browser key and this refresh brought no proof from it.
  | { ok: false; error: 'device_bound'; sessionId: string }
  | { ok: false; error: 'revoked'; notice: EndedNotice; sessionId: string };

/**
 * Rotates a refresh token (RFC 9700 §4.14.2). The token must carry the session's current
 * generation, which moves on by one. The immediately previous generation is still honoured for
 * the grace window after the rotation and receives the current generation's tokens, so two tabs
 * refreshing together both stay signed in. Anything older is a replay: the session is revoked
 * (`reuse_detected`), which also kills its current tokens. The absolute end never moves.
 */
export async function rotateRefreshToken(context: Context, token: string | undefined, deviceProven = false): Promise<RefreshResult> {
  // deviceProven: DBSC's refresh (lib/auth/device-binding.ts) says true once it has checked the device's proof.
  const { store, keyring, policy } = context;
  const now = context.now();
  // Signature first: a forged token naming a victim's jti must not reach the reuse logic.
  const claims = await verifyToken(keyring, 'refresh', token, now);
  if (!claims) return { ok: false, error: 'invalid' };

  const refreshExpiresAt = new Date(claims.exp * 1000);
  const rotation = await store.rotateRefresh(
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
