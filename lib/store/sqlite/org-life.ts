// An org's life: creating one, renaming it, handing ownership over, deleting it.
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import { isAdminRole, mayCreateOrg, orgCreationWindow } from '../../rules';
import { iso, newEntityId } from '../../ids';
import type { OrgActor, OrgCreated, OrgResult, OrgScope, SessionActor } from '../types';
import { every, liveAt, liveOrg, membershipRole } from './access';
import { recordEvents } from './activity';
import type { Connection } from './connection';
import { closeInvitation } from './invitations';
import { withWriteLock } from './lock';
import { endSessions } from './revoke';
import { memberships, orgInvitations as invitations, orgs, securityEvents, sessions } from './schema';
import { personalOrgOf } from './users';

/** A new org with the actor as its owner; the acting session moves into it. */
export function createOrg({ sqlite, db }: Connection, actor: SessionActor, name: string, now: Date): Promise<OrgCreated> {
  return withWriteLock(sqlite, (): OrgCreated => {
    const created = db
      .select({ n: sql<number>`count(*)` })
      .from(securityEvents)
      .where(every(eq(securityEvents.userId, actor.userId), eq(securityEvents.type, 'org_created'), gte(securityEvents.createdAt, orgCreationWindow(now))))
      .get();
    if (!mayCreateOrg(created?.n ?? 0)) return { ok: false, error: 'create_limit' };
    const orgId = newEntityId();
    db.insert(orgs).values({ id: orgId, name, createdAt: iso(now) }).run();
    db.insert(memberships).values({ userId: actor.userId, orgId, role: 'owner', createdAt: iso(now) }).run();
    db.update(sessions)
      .set({ orgId })
      .where(every(eq(sessions.id, actor.sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt)))
      .run();
    recordEvents(db, [{ type: 'org_created', userId: actor.userId, orgId, actorUserId: actor.userId, detail: name }], now);
    return { ok: true, orgId };
  });
}

/** Owners rename their org; admins are refused (forbidden), anyone else finds nothing. */
export function renameOrg({ sqlite, db }: Connection, actor: OrgActor, name: string, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = membershipRole(db, actor.orgId, actor.userId);
    if (!isAdminRole(role) || !liveOrg(db, actor.orgId)) return { ok: false, error: 'not_found' };
    if (role !== 'owner') return { ok: false, error: 'forbidden' };
    db.update(orgs).set({ name }).where(eq(orgs.id, actor.orgId)).run();
    recordEvents(db, [{ type: 'org_renamed', userId: actor.userId, orgId: actor.orgId, actorUserId: actor.userId, detail: name }], now);
    return { ok: true };
  });
}

/** An owner makes another member the owner and steps down to admin, in one transaction. */
export function transferOwnership({ sqlite, db }: Connection, actor: OrgActor, toUserId: string, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = membershipRole(db, actor.orgId, actor.userId);
    if (!isAdminRole(role) || !liveOrg(db, actor.orgId)) return { ok: false, error: 'not_found' };
    if (role !== 'owner') return { ok: false, error: 'forbidden' };
    if (toUserId === actor.userId) return { ok: false, error: 'self' };
    if (!membershipRole(db, actor.orgId, toUserId)) return { ok: false, error: 'not_found' };
    const inOrg = (userId: string) => and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId));
    db.update(memberships).set({ role: 'owner' }).where(inOrg(toUserId)).run();
    db.update(memberships).set({ role: 'admin' }).where(inOrg(actor.userId)).run();
    recordEvents(db, [{ type: 'ownership_transferred', userId: toUserId, orgId: actor.orgId, actorUserId: actor.userId }], now);
    return { ok: true };
  });
}

/**
 * An owner deletes the org, naming it to confirm. Its pending invitations are revoked; every
 * session in it ends (`org_deleted`, which its device is told) except the acting one, which
 * moves to the owner's personal org; the memberships go, so the members' next sign-ins land in
 * their personal orgs. The row stays, marked deleted, so ended sessions and events still name it.
 */
export function deleteOrg({ sqlite, db }: Connection, scope: OrgScope, confirmName: string, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = membershipRole(db, scope.orgId, scope.userId);
    const org = isAdminRole(role) ? liveOrg(db, scope.orgId) : null;
    if (!org) return { ok: false, error: 'not_found' };
    if (role !== 'owner') return { ok: false, error: 'forbidden' };
    if (org.personalUserId !== null) return { ok: false, error: 'personal' };
    if (confirmName !== org.name) return { ok: false, error: 'name_mismatch' };
    for (const invitation of db.select().from(invitations).where(and(eq(invitations.orgId, org.id), eq(invitations.status, 'pending'))).all()) {
      closeInvitation(db, invitation, 'revoked', scope.userId, now);
    }
    db.update(sessions)
      .set({ orgId: personalOrgOf(db, scope.userId, now) })
      .where(every(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), eq(sessions.orgId, org.id), isNull(sessions.revokedAt)))
      .run();
    endSessions(db, every(eq(sessions.orgId, org.id), liveAt(now)), 'org_deleted', false, now);
    const members = db.delete(memberships).where(eq(memberships.orgId, org.id)).returning({ userId: memberships.userId }).all();
    db.update(orgs).set({ deletedAt: iso(now) }).where(eq(orgs.id, org.id)).run();
    const event = { type: 'org_deleted', orgId: org.id, actorUserId: scope.userId, detail: org.name } as const;
    recordEvents(db, members.map((member) => ({ ...event, userId: member.userId })), now);
    return { ok: true };
  });
}
