import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { memberships, users, type Role } from '../db/schema';
import { recordSecurityEvent } from '../auth/events';
import { iso, newEntityId } from '../ids';
import { adminRole, canManage, membershipRole, wouldOrphan, type OrgActor, type OrgResult } from './access';
import { endSessionsInOrg } from './member-sessions';

/** An org's members: list them with their live-session counts, add one by email, remove one. */

export type MemberSummary = { userId: string; email: string; role: Role; joinedAt: string; liveSessions: number };

/** Every member of `orgId`, owners first, with how many live sessions each has in this org. */
export function listMembers(db: Db, orgId: string, now: Date): MemberSummary[] {
  return db
    .select({
      userId: memberships.userId,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      liveSessions: sql<number>`(
        select count(*) from sessions s
        where s.user_id = ${memberships.userId} and s.org_id = ${memberships.orgId}
          and s.revoked_at is null and s.refresh_expires_at > ${iso(now)})`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(users.email))
    .all();
}

/**
 * Adds `email` (already normalised) to the actor's org with `role`. An unknown address gets a
 * user row and signs in with a code like anyone; the answer is the same either way, so adding
 * people never reveals who already has an account. Only owners may make owners.
 */
export function addMember(db: Db, actor: OrgActor, input: { email: string; role: Role }, now: Date): OrgResult {
  return db.transaction(
    (tx): OrgResult => {
      const role = adminRole(tx, actor);
      if (!role) return { ok: false, error: 'not_found' };
      if (input.role === 'owner' && role !== 'owner') return { ok: false, error: 'forbidden' };
      let userId = tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()?.id;
      if (!userId) {
        userId = newEntityId();
        tx.insert(users).values({ id: userId, email: input.email, createdAt: iso(now) }).run();
      } else if (membershipRole(tx, actor.orgId, userId)) {
        return { ok: false, error: 'already_member' };
      }
      tx.insert(memberships).values({ userId, orgId: actor.orgId, role: input.role, createdAt: iso(now) }).run();
      recordSecurityEvent(tx, { type: 'member_added', userId, orgId: actor.orgId, actorUserId: actor.userId, detail: input.role }, now);
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Removes a member from the actor's org and ends their sessions in it (reason `admin`, so each
 * device is told an admin ended it). Admins cannot remove owners, the org always keeps an owner,
 * and people leave through `leaveOrg` rather than removing themselves here.
 */
export function removeMember(db: Db, actor: OrgActor, userId: string, now: Date): OrgResult {
  return db.transaction(
    (tx): OrgResult => {
      const role = adminRole(tx, actor);
      const targetRole = role ? membershipRole(tx, actor.orgId, userId) : null;
      if (!role || !targetRole) return { ok: false, error: 'not_found' };
      if (userId === actor.userId) return { ok: false, error: 'self' };
      if (!canManage(role, targetRole)) return { ok: false, error: 'forbidden' };
      if (wouldOrphan(tx, actor.orgId, targetRole)) return { ok: false, error: 'last_owner' };
      endSessionsInOrg(tx, { orgId: actor.orgId, userId }, 'admin', now);
      tx.delete(memberships).where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId))).run();
      recordSecurityEvent(tx, { type: 'member_removed', userId, orgId: actor.orgId, actorUserId: actor.userId, detail: targetRole }, now);
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}
