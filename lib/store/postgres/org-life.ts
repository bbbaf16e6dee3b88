// An org's life: creating one, renaming it, handing ownership over, deleting it; each with its lock plan.
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import { isAdminRole, mayCreateOrg, orgCreationWindow } from '../../rules';
import { iso, newEntityId } from '../../ids';
import type { OrgActor, OrgCreated, OrgResult, OrgScope, SessionActor } from '../types';
import { lockAllMembers, lockOrg, lockOwnersAnd, shareMemberships } from './access';
import type { Pg } from './connection';
import { closeInvitations } from './invitation-close';
import { endSessions } from './revoke';
import { asCount, recordEvents } from './rows';
import { memberships, orgInvitations as invitations, orgs, securityEvents, sessions } from './schema';
import { inTransaction } from './tx';
import { personalOrgOf } from './users';

/**
 * A new org owned by the actor; the acting session moves into it. Lock plan: an advisory lock on
 * the person, so their count of orgs created today and the insert cannot interleave with another
 * creation of theirs; then the session's row lock.
 */
export async function createOrg(pg: Pg, actor: SessionActor, name: string, now: Date): Promise<OrgCreated> {
  return inTransaction(pg.pool, async (tx): Promise<OrgCreated> => {
    await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`signet:org-create:${actor.userId}`}::text, 0))`);
    const [created] = await tx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, actor.userId), eq(securityEvents.type, 'org_created'), gte(securityEvents.createdAt, orgCreationWindow(now))));
    if (!mayCreateOrg(asCount(created?.n))) return { ok: false, error: 'create_limit' };
    const orgId = newEntityId();
    await tx.db.insert(orgs).values({ id: orgId, name, createdAt: iso(now) });
    await tx.db.insert(memberships).values({ userId: actor.userId, orgId, role: 'owner', createdAt: iso(now) });
    await tx.db
      .update(sessions)
      .set({ orgId })
      .where(and(eq(sessions.id, actor.sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt)));
    await recordEvents(tx, [{ type: 'org_created', userId: actor.userId, orgId, actorUserId: actor.userId, detail: name }], now);
    return { ok: true, orgId };
  });
}

/** Owners rename their org. Lock plan: the org's row FOR UPDATE, then the actor's membership FOR SHARE. */
export async function renameOrg(pg: Pg, actor: OrgActor, name: string, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const org = await lockOrg(tx, actor.orgId, 'update');
    const role = org ? (await shareMemberships(tx, actor.orgId, [actor.userId])).get(actor.userId) : undefined;
    if (!isAdminRole(role)) return { ok: false, error: 'not_found' };
    if (role !== 'owner') return { ok: false, error: 'forbidden' };
    await tx.db.update(orgs).set({ name }).where(eq(orgs.id, actor.orgId));
    await recordEvents(tx, [{ type: 'org_renamed', userId: actor.userId, orgId: actor.orgId, actorUserId: actor.userId, detail: name }], now);
    return { ok: true };
  });
}

/**
 * An owner makes another member the owner and steps down to admin. Lock plan: the org's row FOR
 * SHARE, then the owners and both people FOR UPDATE (lockOwnersAnd): a removal or departure of
 * either, or another transfer, queues behind this one and sees the roles it leaves.
 */
export async function transferOwnership(pg: Pg, actor: OrgActor, toUserId: string, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const org = await lockOrg(tx, actor.orgId, 'share');
    const locked = org ? await lockOwnersAnd(tx, actor.orgId, [actor.userId, toUserId]) : null;
    const role = locked?.roles.get(actor.userId);
    if (!locked || !isAdminRole(role)) return { ok: false, error: 'not_found' };
    if (role !== 'owner') return { ok: false, error: 'forbidden' };
    if (toUserId === actor.userId) return { ok: false, error: 'self' };
    if (!locked.roles.has(toUserId)) return { ok: false, error: 'not_found' };
    const inOrg = (userId: string) => and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId));
    await tx.db.update(memberships).set({ role: 'owner' }).where(inOrg(toUserId));
    await tx.db.update(memberships).set({ role: 'admin' }).where(inOrg(actor.userId));
    await recordEvents(tx, [{ type: 'ownership_transferred', userId: toUserId, orgId: actor.orgId, actorUserId: actor.userId }], now);
    return { ok: true };
  });
}

/**
 * An owner deletes the org, naming it to confirm. Lock plan, in the engine's order: the org's row
 * FOR UPDATE (invitations, answers, renames and transfers of this org wait), every membership FOR
 * UPDATE (switches into it and removals wait), the pending invitations (revoked), then the
 * sessions: the acting one moves to the owner's personal org, every other live one ends with
 * `org_deleted`. Then the memberships go and the row is marked deleted, kept so that the ended
 * sessions and the events still name it.
 */
export async function deleteOrg(pg: Pg, scope: OrgScope, confirmName: string, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const org = await lockOrg(tx, scope.orgId, 'update');
    const members = org ? await lockAllMembers(tx, scope.orgId) : new Map<string, never>();
    const role = members.get(scope.userId);
    if (!org || !isAdminRole(role)) return { ok: false, error: 'not_found' };
    if (role !== 'owner') return { ok: false, error: 'forbidden' };
    if (org.personalUserId !== null) return { ok: false, error: 'personal' };
    if (confirmName !== org.name) return { ok: false, error: 'name_mismatch' };
    const open = await tx.db.select().from(invitations).where(and(eq(invitations.orgId, org.id), eq(invitations.status, 'pending'))).for('update');
    await closeInvitations(tx, open, 'revoked', scope.userId, now);
    const personal = await personalOrgOf(tx, scope.userId, now);
    await tx.db
      .update(sessions)
      .set({ orgId: personal })
      .where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), eq(sessions.orgId, org.id), isNull(sessions.revokedAt)));
    await endSessions(tx, { kind: 'org', orgId: org.id }, 'org_deleted', false, now);
    await tx.db.delete(memberships).where(eq(memberships.orgId, org.id));
    await tx.db.update(orgs).set({ deletedAt: iso(now) }).where(eq(orgs.id, org.id));
    const event = { type: 'org_deleted', orgId: org.id, actorUserId: scope.userId, detail: org.name } as const;
    await recordEvents(tx, [...members.keys()].map((userId) => ({ ...event, userId })), now);
    return { ok: true };
  });
}
