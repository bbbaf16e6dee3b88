import type { Db } from '../db';
import type { RevokeReason } from '../db/schema';
import { iso } from '../ids';
import { log } from '../log';
import type { Keyring } from './keys';
import { findSessionContext, touchSession, type SessionContext } from './sessions';
import { verifyToken, verifyTokenNow, type TokenKind } from './tokens';

/** Why a session ended, in the terms the sign-in page explains it. */
export type EndedNotice = { reason: RevokeReason; at: string; elsewhere: boolean; orgName: string };

export type CheckResult =
  | { status: 'valid'; session: SessionContext }
  | { status: 'none' }
  | { status: 'ended'; notice: EndedNotice };

/**
 * The one server-side session check: the access token's signature and claims, then the row by
 * its jti (revocation is immediate), the absolute end, and that the user still belongs to the
 * session's org. Database errors are thrown, never mistaken for "signed out" (fail closed, R2).
 */
export function checkAccessToken(db: Db, keyring: Keyring, token: string | undefined, now: Date, lastSeenIntervalSeconds: number): CheckResult {
  // Synchronous throughout: a promise per step (or per check) costs more than a remembered check.
  const claims = verifyTokenNow(keyring, 'access', token, now);
  if (!claims) return { status: 'none' };
  return checkSessionRow(db, claims.jti, claims.sub, now, lastSeenIntervalSeconds);
}

function checkSessionRow(db: Db, sessionId: string, userId: string, now: Date, lastSeenIntervalSeconds: number | null): CheckResult {
  const session = findSessionContext(db, sessionId);
  if (!session || session.userId !== userId) return { status: 'none' };
  if (session.revokedAt) {
    return {
      status: 'ended',
      notice: { reason: session.revokedReason ?? 'sign_out', at: session.revokedAt, elsewhere: session.revokedElsewhere, orgName: session.orgName },
    };
  }
  if (session.refreshExpiresAt <= iso(now) || session.role === null) return { status: 'none' };
  if (lastSeenIntervalSeconds !== null) {
    try {
      touchSession(db, session.sessionId, session.lastSeenAt, lastSeenIntervalSeconds, now);
    } catch (error) {
      // Last-seen is a courtesy: a read-only or busy database must not refuse a valid session.
      log.warn('last_seen_not_written', { error: error instanceof Error ? error.message : 'unknown' });
    }
  }
  return { status: 'valid', session };
}

/**
 * How the session behind a token stands, for the sign-in page's "why was I signed out" notice
 * (usually read from the refresh token, which outlives the access token). Writes nothing.
 */
export async function describeTokenSession(db: Db, keyring: Keyring, kind: TokenKind, token: string | undefined, now: Date): Promise<CheckResult> {
  if (!token) return { status: 'none' };
  const claims = await verifyToken(keyring, kind, token, now);
  if (!claims) return { status: 'none' };
  return checkSessionRow(db, claims.jti, claims.sub, now, null);
}
