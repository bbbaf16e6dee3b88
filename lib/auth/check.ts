import { iso } from '../ids';
import { log } from '../log';
import { endedNotice } from '../store/events';
import type { EndedNotice, SessionContext } from '../store/types';
import { verifyToken } from '../crypto/tokens';
import type { Context } from './context';

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
export async function checkAccessToken({ store, keyring, policy, now }: Omit<Context, 'mailer'>, token: string | undefined): Promise<CheckResult> {
  const at = now();
  const claims = await verifyToken(keyring, 'access', token, at);
  if (!claims) return { status: 'none' };
  const session = await store.findSessionForCheck(claims.jti);
  if (!session || session.userId !== claims.sub) return { status: 'none' };
  if (session.revokedAt) return { status: 'ended', notice: endedNotice(session, iso(at)) };
  if (session.refreshExpiresAt <= iso(at) || session.role === null) return { status: 'none' };
  // Last-seen is written at most once per interval; the row just read says whether it is due.
  const interval = policy.lastSeenIntervalSeconds;
  if (Date.parse(session.lastSeenAt) <= at.getTime() - interval * 1000) {
    try {
      await store.touchLastSeen(session.sessionId, at, interval);
    } catch (error) {
      // Last-seen is a courtesy: a read-only or busy database must not refuse a valid session.
      log.warn('last_seen_not_written', { error: error instanceof Error ? error.message : 'unknown' });
    }
  }
  return { status: 'valid', session };
}
