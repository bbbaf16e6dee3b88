import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions } from '../db/schema';
import { iso } from '../ids';
import { recordSecurityEvent } from './events';
import { revokeOtherSessions, revokeSession } from './sessions';

/**
 * What a signed-in person can do to their own devices. Every change is scoped by the acting user
 * in SQL, so another user's session id matches nothing; callers answer the same either way, and
 * the security log records only changes that happened. Each runs in one immediate transaction so
 * the change and its log entry land together or not at all.
 */
export type Actor = { userId: string; sessionId: string; orgId: string };

/** Renames one of the actor's live devices; returns whether a row changed. */
export function renameDevice(db: Db, actor: Actor, sessionId: string, label: string, now: Date): boolean {
  return db.transaction(
    (tx) => {
      const result = tx
        .update(sessions)
        .set({ deviceLabel: label })
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now))))
        .run();
      if (result.changes === 0) return false;
      recordSecurityEvent(tx, { type: 'device_renamed', userId: actor.userId, orgId: actor.orgId, sessionId, actorUserId: actor.userId, detail: label }, now);
      return true;
    },
    { behavior: 'immediate' },
  );
}

export type SignOutOutcome = { endedCurrent: boolean };

/**
 * Signs one of the actor's devices out (`sign_out`). Another device is marked as signed out
 * elsewhere, so it can be told so on its next request; choosing the actor's own session signs
 * this device out, and `endedCurrent` tells the caller to clear its cookies.
 */
export function signOutDevice(db: Db, actor: Actor, sessionId: string, now: Date): SignOutOutcome {
  const current = sessionId === actor.sessionId;
  db.transaction(
    (tx) => {
      const ended = revokeSession(tx, { userId: actor.userId, sessionId }, 'sign_out', now, { elsewhere: !current });
      if (!ended) return;
      recordSecurityEvent(
        tx,
        { type: current ? 'sign_out' : 'session_revoked', userId: actor.userId, orgId: ended.orgId, sessionId, actorUserId: actor.userId, detail: ended.deviceLabel },
        now,
      );
    },
    { behavior: 'immediate' },
  );
  return { endedCurrent: current };
}

/** Signs out every live device of the actor except the one acting; returns how many ended. */
export function signOutOtherDevices(db: Db, actor: Actor, now: Date): number {
  return db.transaction(
    (tx) => {
      const count = revokeOtherSessions(tx, actor.userId, actor.sessionId, now);
      if (count > 0) {
        recordSecurityEvent(
          tx,
          { type: 'other_sessions_revoked', userId: actor.userId, orgId: actor.orgId, sessionId: actor.sessionId, actorUserId: actor.userId, detail: String(count) },
          now,
        );
      }
      return count;
    },
    { behavior: 'immediate' },
  );
}
