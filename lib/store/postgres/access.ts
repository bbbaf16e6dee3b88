// Org and membership reads under row locks: who may act in an org, taken in one consistent lock order.
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { asRole, type Role } from '../model';
import { memberships, orgs } from './schema';
import type { Tx } from './tx';

/**
 * The lock order of every org operation in this engine: the org's row, then its memberships, then
 * its invitations, then sessions. Operations that skip a step keep the order of the rest, so two
 * of them never wait on each other in a cycle.
 *
 * Every membership lock is taken by one statement ordered by user_id, so two transactions
 * locking overlapping sets of one org's rows always queue instead of deadlocking (PostgreSQL
 * locks the rows in the ORDER BY's order).
 *
 * FOR SHARE (an admin acting, a member switching org): the rows cannot be deleted until this
 * transaction ends, so a removal racing the action either waits for it or is seen by it.
 */
export async function shareMemberships(tx: Tx, orgId: string, userIds: string[]): Promise<Map<string, Role>> {
  const rows = await tx.db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.userId, userIds)))
    .orderBy(asc(memberships.userId))
    .for('share');
  return toRoles(rows);
}

export type LiveOrg = { id: string; name: string; personalUserId: string | null };

/**
 * The org's row, unless deleted, locked FOR SHARE (it may not be deleted or renamed until this
 * transaction ends: invitations, accepting one, handing ownership over) or FOR UPDATE (deleting
 * or renaming it: everything else on the org waits).
 */
export async function lockOrg(tx: Tx, orgId: string, mode: 'share' | 'update'): Promise<LiveOrg | null> {
  const [org] = await tx.db
    .select({ id: orgs.id, name: orgs.name, personalUserId: orgs.personalUserId })
    .from(orgs)
    .where(and(eq(orgs.id, orgId), isNull(orgs.deletedAt)))
    .for(mode);
  return org ?? null;
}

/** Every membership of the org FOR UPDATE (deleting it): a switch into it or a removal waits. */
export async function lockAllMembers(tx: Tx, orgId: string): Promise<Map<string, Role>> {
  const rows = await tx.db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.userId))
    .for('update');
  return toRoles(rows);
}

export type LockedOrg = { roles: Map<string, Role>; owners: number };

/**
 * FOR UPDATE on every owner of the org and on the people named (removing a member, leaving,
 * handing ownership over): two of them at once queue here, so the owner count each one reads
 * cannot be stale and the org can never lose its last owner. A role changes only under this
 * lock (a transfer names both people), so locking the owners' rows is locking the count.
 */
export async function lockOwnersAnd(tx: Tx, orgId: string, userIds: string[]): Promise<LockedOrg> {
  const rows = await tx.db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), or(eq(memberships.role, 'owner'), inArray(memberships.userId, userIds))))
    .orderBy(asc(memberships.userId))
    .for('update');
  return { roles: toRoles(rows), owners: rows.filter((row) => row.role === 'owner').length };
}

function toRoles(rows: Array<{ userId: string; role: string }>): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const row of rows) {
    const role = asRole(row.role);
    if (role) roles.set(row.userId, role);
  }
  return roles;
}
