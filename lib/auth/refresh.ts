import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { orgs, sessions } from '../db/schema';
import type { EndedNotice } from './check';
import { iso } from '../ids';
import type { IssuedTokens } from './cookies';
import { recordSecurityEvent } from './events';
import { issueTokens } from './issue';
import type { Keyring } from './keys';
import { verifyToken } from './tokens';

export type RefreshPolicy = { accessTtlSeconds: number; graceSeconds: number };

export type RefreshResult =
  | { ok: true; tokens: IssuedTokens; sessionId: string; rotated: boolean }
  | { ok: false; error: 'invalid' | 'expired' }
  | { ok: false; error: 'revoked'; notice: EndedNotice; sessionId: string };

/**
 * Rotates a refresh token (RFC 9700 §4.14.2). The token must carry the session's current
 * generation, which moves on by one. The immediately previous generation is still honoured for
 * `graceSeconds` after the rotation and receives the current generation's tokens, so two tabs
 * refreshing together both stay signed in. Anything older is a replay: the session is revoked
 * (`reuse_detected`), which also kills its current tokens. The absolute end never moves.
 */
export async function rotateRefreshToken(db: Db, keyring: Keyring, token: string | undefined, policy: RefreshPolicy, now: Date): Promise<RefreshResult> {
  // Signature first: a forged token naming a victim's jti must not reach the reuse logic.
  const claims = await verifyToken(keyring, 'refresh', token, now);
  if (!claims) return { ok: false, error: 'invalid' };

  // The replacement pair is for generation claims.gen + 1, the current one in both success
  // cases. It is signed after the synchronous transaction, since jose is async.
  const refreshExpiresAt = new Date(claims.exp * 1000);
  const draft = { sessionId: claims.jti, userId: claims.sub, generation: claims.gen + 1, refreshExpiresAt };

  const outcome = db.transaction(
    (tx): { kind: 'rotated' | 'grace'; persistent: boolean } | Exclude<RefreshResult, { ok: true }> => {
      const row = tx
        .select({
          userId: sessions.userId,
          orgId: sessions.orgId,
          generation: sessions.refreshGeneration,
          rotatedAt: sessions.refreshRotatedAt,
          refreshExpiresAt: sessions.refreshExpiresAt,
          revokedAt: sessions.revokedAt,
          revokedReason: sessions.revokedReason,
          revokedElsewhere: sessions.revokedElsewhere,
          persistent: sessions.persistent,
          orgName: orgs.name,
        })
        .from(sessions)
        .innerJoin(orgs, eq(orgs.id, sessions.orgId))
        .where(eq(sessions.id, claims.jti))
        .get();
      if (!row || row.userId !== claims.sub) return { ok: false, error: 'invalid' };
      if (row.revokedAt) {
        const notice = { reason: row.revokedReason ?? 'sign_out', at: row.revokedAt, elsewhere: row.revokedElsewhere, orgName: row.orgName };
        return { ok: false, error: 'revoked', notice, sessionId: claims.jti };
      }
      if (row.refreshExpiresAt <= iso(now)) return { ok: false, error: 'expired' };
      if (row.generation === claims.gen) {
        tx.update(sessions)
          .set({
            refreshGeneration: claims.gen + 1,
            refreshRotatedAt: iso(now),
            accessExpiresAt: iso(new Date(Math.min(now.getTime() + policy.accessTtlSeconds * 1000, refreshExpiresAt.getTime()))),
            kid: keyring.current.kid, // the session moves to the newest key as it refreshes
            lastSeenAt: iso(now),
          })
          .where(eq(sessions.id, claims.jti))
          .run();
        return { kind: 'rotated', persistent: row.persistent };
      }
      const withinGrace = Date.parse(row.rotatedAt) + policy.graceSeconds * 1000 >= now.getTime();
      if (row.generation === claims.gen + 1 && withinGrace) return { kind: 'grace', persistent: row.persistent };
      tx.update(sessions)
        .set({ revokedAt: iso(now), revokedReason: 'reuse_detected' })
        .where(eq(sessions.id, claims.jti))
        .run();
      recordSecurityEvent(tx, { type: 'refresh_reuse_detected', userId: row.userId, orgId: row.orgId, sessionId: claims.jti }, now);
      const notice = { reason: 'reuse_detected' as const, at: iso(now), elsewhere: false, orgName: row.orgName };
      return { ok: false, error: 'revoked', notice, sessionId: claims.jti };
    },
    { behavior: 'immediate' },
  );
  if ('ok' in outcome) return outcome;
  const tokens = await issueTokens(keyring, { ...draft, persistent: outcome.persistent }, policy.accessTtlSeconds, now);
  return { ok: true, tokens, sessionId: claims.jti, rotated: outcome.kind === 'rotated' };
}
