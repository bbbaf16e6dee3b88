import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { memberships, type Role } from '../db/schema';

/** Who may administer an org, and whom they may act on. Knows the database, nothing about HTTP. */

export type AdminRole = Extract<Role, 'owner' | 'admin'>;

/** The signed-in person acting on their session's org. */
export type OrgActor = { userId: string; orgId: string };

export type OrgError = 'not_found' | 'forbidden' | 'last_owner' | 'already_member' | 'self' | 'current_org';
export type OrgResult = { ok: true } | { ok: false; error: OrgError };

export function isAdminRole(role: Role | null | undefined): role is AdminRole {
  return role === 'owner' || role === 'admin';
}

/** `userId`'s role in `orgId`, or null when they are not a member. */
export function membershipRole(db: Db, orgId: string, userId: string): Role | null {
  const row = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .get();
  return row?.role ?? null;
}

/**
 * The actor's role when it lets them administer the org, else null. Admin operations read it
 * inside their own write transaction, so a role removed a moment ago is never honoured.
 */
export function adminRole(db: Db, actor: OrgActor): AdminRole | null {
  const role = membershipRole(db, actor.orgId, actor.userId);
  return isAdminRole(role) ? role : null;
}

/** Owners may act on anyone; admins on admins and members, never on an owner. */
export function canManage(actorRole: AdminRole, targetRole: Role): boolean {
  return actorRole === 'owner' || targetRole !== 'owner';
}

export function countOwners(db: Db, orgId: string): number {
  const row = db
    .select({ owners: sql<number>`count(*)` })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')))
    .get();
  return row?.owners ?? 0;
}

/** Whether taking `role` away from one member would leave the org without an owner. */
export function wouldOrphan(db: Db, orgId: string, role: Role): boolean {
  return role === 'owner' && countOwners(db, orgId) <= 1;
}
