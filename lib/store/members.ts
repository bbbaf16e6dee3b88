// An org's member list as both engines read it: the same columns, live-session count and role order.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { iso } from '../ids';

type Memberships = Record<'userId' | 'orgId' | 'role' | 'createdAt', AnyColumn>;
type Users = Record<'email', AnyColumn>;

/** A member as the org's admins list them, as the engine's own columns (exact types kept). */
export type MemberColumns<M extends Memberships, U extends Users> = {
  userId: M['userId'];
  email: U['email'];
  role: M['role'];
  joinedAt: M['createdAt'];
  liveSessions: SQL<number>;
};

/** The select projection of the member list, with each member's live sessions in this org at `now`. */
export function memberColumns<M extends Memberships, U extends Users>(memberships: M, users: U, now: Date): MemberColumns<M, U> {
  return {
    userId: memberships.userId,
    email: users.email,
    role: memberships.role,
    joinedAt: memberships.createdAt,
    // count(*) is a bigint on PostgreSQL, which node-postgres hands over as a string.
    liveSessions: sql<number>`(
      SELECT count(*) FROM sessions s
       WHERE s.user_id = ${memberships.userId} AND s.org_id = ${memberships.orgId}
         AND s.revoked_at IS NULL AND s.refresh_expires_at > ${iso(now)})`.mapWith(Number),
  };
}

/** Owners first, then admins, then members. */
export function ownersFirst(role: AnyColumn): SQL {
  return sql`CASE ${role} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`;
}
