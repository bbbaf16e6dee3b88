// An org's members as its admins manage them: the list, one member's sessions, removing one.
import { asc, desc, eq } from 'drizzle-orm';
import { canManage, wouldOrphan } from '../../rules';
import { memberColumns, ownersFirst } from '../members';
import type { MemberSessions, MemberSummary, OrgActor, OrgResult } from '../types';
import { adminRole, every, liveAt, membershipRole, ownerCount } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { endSessions } from './revoke';
import { memberships, sessions, users } from './schema';

/** Every member of `orgId`, owners first, then admins, then by email, with their live sessions in it. */
export function listMembers(db: Db, orgId: string, now: Date): MemberSummary[] {
  return db
    .select(memberColumns(memberships, users, now))
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(ownersFirst(memberships.role), asc(users.email))
    .all();
}

/** The member's live sessions in `orgId`, newest first; null when they are not a member of it. */
export function listMemberSessions(db: Db, scope: { orgId: string; userId: string }, now: Date): MemberSessions | null {
  const role = membershipRole(db, scope.orgId, scope.userId);
  const user = db.select({ email: users.email }).from(users).where(eq(users.id, scope.userId)).get();
  if (!role || !user) return null;
  const rows = db
    .select({ id: sessions.id, deviceLabel: sessions.deviceLabel, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(every(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), liveAt(now)))
    .orderBy(desc(sessions.createdAt))
    .all();
  return { userId: scope.userId, email: user.email, role, sessions: rows };
}

/**
 * Removes a member from the actor's org and ends their sessions in it (reason `admin`, so each
 * device is told an admin ended it). Admins cannot remove owners, the org always keeps an owner,
 * and people leave through leaveOrg rather than removing themselves here.
 */
export function removeMember({ sqlite, db }: Connection, actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = adminRole(db, actor);
    const targetRole = role ? membershipRole(db, actor.orgId, userId) : null;
    if (!role || !targetRole) return { ok: false, error: 'not_found' };
    if (userId === actor.userId) return { ok: false, error: 'self' };
    if (!canManage(role, targetRole)) return { ok: false, error: 'forbidden' };
    if (wouldOrphan(targetRole, ownerCount(db, actor.orgId))) return { ok: false, error: 'last_owner' };
    endSessions(db, every(eq(sessions.orgId, actor.orgId), eq(sessions.userId, userId), liveAt(now)), 'admin', false, now);
    db.delete(memberships).where(every(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId))).run();
    recordEvents(db, [{ type: 'member_removed', userId, orgId: actor.orgId, actorUserId: actor.userId, detail: targetRole }], now);
    return { ok: true };
  });
}
