import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions, users, type RevokeReason, type Role } from '../db/schema';
import { recordSecurityEvent } from '../auth/events';
import { iso } from '../ids';
import { adminRole, canManage, membershipRole, type OrgActor, type OrgResult } from './access';

/** An org admin's view of one member's sessions in that org, and ending them (reason `admin`). */

export type MemberSession = { id: string; deviceLabel: string | null; createdAt: string; lastSeenAt: string };
export type MemberSessions = { userId: string; email: string; role: Role; sessions: MemberSession[] };

const live = (now: Date) => and(isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now)));

/** The member's live sessions in `orgId`, newest first; null when they are not a member of it. */
export function listMemberSessions(db: Db, scope: { orgId: string; userId: string }, now: Date): MemberSessions | null {
  const role = membershipRole(db, scope.orgId, scope.userId);
  const user = db.select({ email: users.email }).from(users).where(eq(users.id, scope.userId)).get();
  if (!role || !user) return null;
  const rows = db
    .select({ id: sessions.id, deviceLabel: sessions.deviceLabel, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), live(now)))
    .orderBy(desc(sessions.createdAt))
    .all();
  return { userId: scope.userId, email: user.email, role, sessions: rows };
}

/**
 * Ends every live session `userId` has in `orgId` (never their sessions in other orgs) and
 * returns what ended. Call inside a write transaction; the caller records the reason's event.
 */
export function endSessionsInOrg(
  db: Db,
  scope: { orgId: string; userId: string },
  reason: RevokeReason,
  now: Date,
  options: { elsewhere?: boolean } = {},
): Array<{ id: string; deviceLabel: string | null }> {
  const where = and(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), live(now));
  const ended = db.select({ id: sessions.id, deviceLabel: sessions.deviceLabel }).from(sessions).where(where).all();
  db.update(sessions)
    .set({ revokedAt: iso(now), revokedReason: reason, revokedElsewhere: options.elsewhere ?? false })
    .where(where)
    .run();
  return ended;
}

/**
 * An admin ends one session of their org. The row is looked up by id *and* the actor's org, so a
 * session of another org, an unknown id and an already ended one all get the same `{ ok: true }`.
 */
export function endMemberSession(db: Db, actor: OrgActor, sessionId: string, now: Date): OrgResult {
  return db.transaction(
    (tx): OrgResult => {
      const role = adminRole(tx, actor);
      if (!role) return { ok: false, error: 'not_found' };
      const where = and(eq(sessions.id, sessionId), eq(sessions.orgId, actor.orgId), isNull(sessions.revokedAt));
      const target = tx.select({ userId: sessions.userId, deviceLabel: sessions.deviceLabel }).from(sessions).where(where).get();
      if (!target) return { ok: true };
      if (!canManage(role, membershipRole(tx, actor.orgId, target.userId) ?? 'member')) return { ok: false, error: 'forbidden' };
      tx.update(sessions).set({ revokedAt: iso(now), revokedReason: 'admin', revokedElsewhere: false }).where(where).run();
      recordSecurityEvent(
        tx,
        { type: 'admin_revoked', userId: target.userId, orgId: actor.orgId, sessionId, actorUserId: actor.userId, detail: target.deviceLabel },
        now,
      );
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}

/** An admin ends all of one member's sessions in their org; `not_found` unless they are a member of it. */
export function endAllMemberSessions(db: Db, actor: OrgActor, userId: string, now: Date): OrgResult {
  return db.transaction(
    (tx): OrgResult => {
      const role = adminRole(tx, actor);
      const targetRole = role ? membershipRole(tx, actor.orgId, userId) : null;
      if (!role || !targetRole) return { ok: false, error: 'not_found' };
      if (!canManage(role, targetRole)) return { ok: false, error: 'forbidden' };
      for (const ended of endSessionsInOrg(tx, { orgId: actor.orgId, userId }, 'admin', now)) {
        recordSecurityEvent(
          tx,
          { type: 'admin_revoked', userId, orgId: actor.orgId, sessionId: ended.id, actorUserId: actor.userId, detail: ended.deviceLabel },
          now,
        );
      }
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}
