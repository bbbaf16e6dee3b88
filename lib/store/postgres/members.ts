// An org's members for its admins: listing them and their sessions, removing one.
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import { canManage, isAdminRole, wouldOrphan } from '../../rules';
import { iso } from '../../ids';
import { asRole, type Role } from '../model';
import { memberColumns, ownersFirst } from '../members';
import type { MemberSessions, MemberSummary, OrgActor, OrgResult } from '../types';
import { lockOwnersAnd } from './access';
import type { Pg } from './connection';
import { endSessions } from './revoke';
import { bytewise, recordEvents } from './rows';
import { memberships, sessions, users } from './schema';
import { inTransaction } from './tx';

/** Every member of `orgId`, owners first, then admins, then by address, with their live sessions in this org. */
export async function listMembers(pg: Pg, orgId: string, now: Date): Promise<MemberSummary[]> {
  const rows = await pg.db
    .select(memberColumns(memberships, users, now))
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(ownersFirst(memberships.role), asc(bytewise(users.email)));
  return rows.flatMap((row) => {
    const role = asRole(row.role);
    return role ? [{ ...row, role }] : [];
  });
}

/** The member's live sessions in `orgId`, newest first; null when they are not a member of it. */
export async function listMemberSessions(pg: Pg, scope: { orgId: string; userId: string }, now: Date): Promise<MemberSessions | null> {
  const [member] = await pg.db
    .select({ email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, scope.orgId), eq(memberships.userId, scope.userId)));
  const role: Role | null = asRole(member?.role ?? null);
  if (!member || !role) return null;
  const rows = await pg.db
    .select({ id: sessions.id, deviceLabel: sessions.deviceLabel, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now))))
    .orderBy(desc(sessions.createdAt));
  return { userId: scope.userId, email: member.email, role, sessions: rows };
}

/**
 * Removes a member from the actor's org and ends their live sessions in it (reason `admin`; the
 * one member_removed event records it). Lock plan: the org's owners, the actor and the target
 * FOR UPDATE in one ordered statement (lockOwnersAnd), so the roles and the owner count it
 * decides on cannot change before it commits: two owners removing each other at once cannot
 * leave the org without one. Then the sessions' row locks, then the membership's delete.
 */
export async function removeMember(pg: Pg, actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const locked = await lockOwnersAnd(tx, actor.orgId, [actor.userId, userId]);
    const actorRole = locked.roles.get(actor.userId);
    const targetRole = isAdminRole(actorRole) ? locked.roles.get(userId) : undefined;
    if (!isAdminRole(actorRole) || !targetRole) return { ok: false, error: 'not_found' };
    if (userId === actor.userId) return { ok: false, error: 'self' };
    if (!canManage(actorRole, targetRole)) return { ok: false, error: 'forbidden' };
    if (wouldOrphan(targetRole, locked.owners)) return { ok: false, error: 'last_owner' };
    await endSessions(tx, { kind: 'user_in_org', userId, orgId: actor.orgId }, 'admin', false, now);
    await tx.db.delete(memberships).where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId)));
    await recordEvents(tx, [{ type: 'member_removed', userId, orgId: actor.orgId, actorUserId: actor.userId, detail: targetRole }], now);
    return { ok: true };
  });
}
