import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { memberships, orgs, sessions, type Role } from '../db/schema';
import { recordSecurityEvent } from '../auth/events';
import { iso } from '../ids';
import { membershipRole, wouldOrphan, type OrgResult } from './access';
import { endSessionsInOrg } from './member-sessions';

/** A person's own orgs: which they belong to, switching this session between them, leaving one. */

export type UserOrg = { orgId: string; name: string; role: Role };

/** A person acting on one of their own orgs from one of their sessions. */
export type OrgScope = { userId: string; sessionId: string; orgId: string };

/** Every org `userId` belongs to, oldest membership first (the one a new session binds to). */
export function listUserOrgs(db: Db, userId: string): UserOrg[] {
  return db
    .select({ orgId: orgs.id, name: orgs.name, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.orgId))
    .all();
}

/**
 * Moves one live session of `userId` to another org they belong to. The tokens carry no org, so
 * the very next request sees the new org; the switch is recorded in the security log.
 */
export function switchSessionOrg(db: Db, scope: OrgScope, now: Date): OrgResult {
  return db.transaction(
    (tx): OrgResult => {
      if (!membershipRole(tx, scope.orgId, scope.userId)) return { ok: false, error: 'not_found' };
      const moved = tx
        .update(sessions)
        .set({ orgId: scope.orgId })
        .where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)))
        .run();
      if (moved.changes === 0) return { ok: false, error: 'not_found' };
      recordSecurityEvent(tx, { type: 'org_switched', userId: scope.userId, orgId: scope.orgId, sessionId: scope.sessionId }, now);
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * `userId` leaves `orgId`, ending their sessions there (as a sign-out from another device). The
 * org this session is bound to cannot be left (switch first), so the person always keeps one
 * org to sign in to; the last owner cannot leave at all.
 */
export function leaveOrg(db: Db, scope: OrgScope, now: Date): OrgResult {
  return db.transaction(
    (tx): OrgResult => {
      const role = membershipRole(tx, scope.orgId, scope.userId);
      if (!role) return { ok: false, error: 'not_found' };
      const current = tx.select({ orgId: sessions.orgId }).from(sessions).where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId))).get();
      if (!current || current.orgId === scope.orgId) return { ok: false, error: 'current_org' };
      if (wouldOrphan(tx, scope.orgId, role)) return { ok: false, error: 'last_owner' };
      endSessionsInOrg(tx, scope, 'sign_out', now, { elsewhere: true });
      tx.delete(memberships).where(and(eq(memberships.orgId, scope.orgId), eq(memberships.userId, scope.userId))).run();
      recordSecurityEvent(tx, { type: 'member_removed', userId: scope.userId, orgId: scope.orgId, actorUserId: scope.userId, detail: role }, now);
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}
