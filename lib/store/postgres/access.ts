// Org membership reads under row locks: who may act in an org, taken in one consistent lock order.
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Role } from '../model';
import { asRole } from './rows';
import { memberships } from './schema';
import type { Tx } from './tx';

/**
 * Every membership lock in this engine is taken by one statement ordered by user_id, so two
 * transactions locking overlapping sets of one org's rows always queue instead of deadlocking
 * (PostgreSQL locks the rows in the ORDER BY's order).
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

export type LockedOrg = { roles: Map<string, Role>; owners: number };

/**
 * FOR UPDATE on every owner of the org and on the people named (removing a member, leaving): two
 * removals at once queue here, so the owner count each one reads cannot be stale and the org can
 * never lose its last owner. Roles only change by adding or removing a membership, so locking
 * the owners' rows is locking the count.
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
