// Membership reads the org operations make inside their write transactions: roles and owner counts.
import { and, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { isAdminRole, type AdminRole } from '../../rules';
import { iso } from '../../ids';
import type { Role } from '../model';
import type { OrgActor } from '../types';
import type { Db } from './connection';
import { memberships, orgs, sessions } from './schema';

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

export type LiveOrg = { id: string; name: string; personalUserId: string | null };

/** The org `orgId` unless it was deleted (or never existed). */
export function liveOrg(db: Db, orgId: string): LiveOrg | null {
  return (
    db
      .select({ id: orgs.id, name: orgs.name, personalUserId: orgs.personalUserId })
      .from(orgs)
      .where(and(eq(orgs.id, orgId), isNull(orgs.deletedAt)))
      .get() ?? null
  );
}

/** How many owners `orgId` has. */
export function ownerCount(db: Db, orgId: string): number {
  const row = db
    .select({ owners: sql<number>`count(*)` })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')))
    .get();
  return row?.owners ?? 0;
}

/** Sessions that are neither revoked nor past their absolute end at `now`. */
export function liveAt(now: Date): SQL {
  return every(isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now)));
}

/**
 * All of the conditions. Drizzle's `and()` may answer undefined, which a WHERE would read as "every
 * row"; with at least one condition it never does, and this says so in the type.
 */
export function every(first: SQL, ...rest: SQL[]): SQL {
  return and(first, ...rest) ?? first;
}
