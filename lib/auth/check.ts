import { log } from '../log';
import { getStore } from '../store';
import type { EndedNotice, SessionContext, Store } from '../store/types';
import { iso } from '../ids';
import type { Keyring } from '../crypto/keys';
import { verifyToken, type TokenKind } from '../crypto/tokens';

export type { EndedNotice, SessionContext };

export type CheckResult =
  | { status: 'valid'; session: SessionContext }
  | { status: 'none' }
  | { status: 'ended'; notice: EndedNotice };

/**
 * The one server-side session check: the access token's signature and claims, then the row by
 * its jti (revocation is immediate), the absolute end, and that the user still belongs to the
 * session's org. Database errors are thrown, never mistaken for "signed out" (fail closed, R2).
 */
export async function checkAccessToken(
  keyring: Keyring,
  token: string | undefined,
  now: Date,
  lastSeenIntervalSeconds: number,
  store?: Store, // the process's store unless given (benchmarks compare several databases)
): Promise<CheckResult> {
  const claims = await verifyToken(keyring, 'access', token, now);
  if (!claims) return { status: 'none' };
  return checkSessionRow(store ?? (await getStore()), claims.jti, claims.sub, now, lastSeenIntervalSeconds);
}

async function checkSessionRow(store: Store, sessionId: string, userId: string, now: Date, lastSeenIntervalSeconds: number | null): Promise<CheckResult> {
  const session = await store.findSessionForCheck(sessionId);
  if (!session || session.userId !== userId) return { status: 'none' };
  if (session.revokedAt) {
    return {
      status: 'ended',
      notice: {
        reason: session.revokedReason ?? 'sign_out',
        at: session.revokedAt,
        elsewhere: session.revokedElsewhere,
        orgName: session.orgName,
        from: session.revokedFrom,
      },
    };
  }
  if (session.refreshExpiresAt <= iso(now) || session.role === null) return { status: 'none' };
  // Last-seen is written at most once per interval; the row just read says whether it is due.
  if (lastSeenIntervalSeconds !== null && Date.parse(session.lastSeenAt) <= now.getTime() - lastSeenIntervalSeconds * 1000) {
    try {
      await store.touchLastSeen(session.sessionId, now, lastSeenIntervalSeconds);
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
export async function describeTokenSession(keyring: Keyring, kind: TokenKind, token: string | undefined, now: Date): Promise<CheckResult> {
  if (!token) return { status: 'none' };
  const claims = await verifyToken(keyring, kind, token, now);
  if (!claims) return { status: 'none' };
  return checkSessionRow(await getStore(), claims.jti, claims.sub, now, null);
}
