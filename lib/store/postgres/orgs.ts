// A person's own orgs: which they belong to, moving a session between them, leaving one.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { wouldOrphan } from '../../rules';
import type { OrgResult, OrgScope, UserOrg } from '../types';
import { asRole } from '../model';
import { lockOwnersAnd, shareMemberships } from './access';
import type { Pg } from './connection';
import { bytewise, recordEvents } from './rows';
import { memberships, orgs, sessions } from './schema';
import { inTransaction } from './tx';
import { personalOrgOf } from './users';

/** Every org `userId` belongs to: their personal org first, then by when they joined. */
export async function listUserOrgs(pg: Pg, userId: string): Promise<UserOrg[]> {
  const rows = await pg.db
    .select({ orgId: orgs.id, name: orgs.name, role: memberships.role, personal: sql<boolean>`${orgs.personalUserId} IS NOT NULL` })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${orgs.personalUserId} IS NULL`, asc(memberships.createdAt), asc(bytewise(memberships.orgId)));
  return rows.flatMap((row) => {
    const role = asRole(row.role);
    return role ? [{ ...row, role }] : [];
  });
}

/**
 * Moves one of the user's unrevoked sessions to another org of theirs. Lock plan: their
 * membership of the target org FOR SHARE (leaving it waits for the switch, or the switch sees it
 * gone), then the session's row lock in the UPDATE.
 */
export async function switchSessionOrg(pg: Pg, scope: OrgScope, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const roles = await shareMemberships(tx, scope.orgId, [scope.userId]);
    if (!roles.has(scope.userId)) return { ok: false, error: 'not_found' };
    const moved = await tx.db
      .update(sessions)
      .set({ orgId: scope.orgId })
      .where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)))
      .returning({ label: sessions.deviceLabel });
    const [session] = moved;
    if (!session) return { ok: false, error: 'not_found' };
    await recordEvents(tx, [{ type: 'org_switched', userId: scope.userId, orgId: scope.orgId, sessionId: scope.sessionId, deviceLabel: session.label }], now);
    return { ok: true };
  });
}

/**
 * The user leaves an org: their unrevoked sessions there move to their personal org (the org
 * stops seeing them at once, and they stay signed in). A personal org is never left; the last
 * owner cannot leave. Lock plan: the org's owners and the leaver's membership FOR UPDATE
 * (lockOwnersAnd), so two owners leaving at once queue and the second sees one owner left; then
 * the sessions' row locks. A deletion of the org holds its memberships too, so it waits or is seen.
 */
export async function leaveOrg(pg: Pg, scope: OrgScope, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const locked = await lockOwnersAnd(tx, scope.orgId, [scope.userId]);
    const role = locked.roles.get(scope.userId);
    if (!role) return { ok: false, error: 'not_found' };
    const [org] = await tx.db.select({ personalUserId: orgs.personalUserId }).from(orgs).where(eq(orgs.id, scope.orgId));
    if (!org) return { ok: false, error: 'not_found' };
    if (org.personalUserId !== null) return { ok: false, error: 'personal' };
    if (wouldOrphan(role, locked.owners)) return { ok: false, error: 'last_owner' };
    const personal = await personalOrgOf(tx, scope.userId, now);
    await tx.db
      .update(sessions)
      .set({ orgId: personal })
      .where(and(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)));
    await tx.db.delete(memberships).where(and(eq(memberships.orgId, scope.orgId), eq(memberships.userId, scope.userId)));
    await recordEvents(tx, [{ type: 'member_removed', userId: scope.userId, orgId: scope.orgId, actorUserId: scope.userId, detail: role }], now);
    return { ok: true };
  });
}
