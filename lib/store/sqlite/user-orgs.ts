// A person's own orgs: which they belong to, moving a session between them, and leaving one.
import { asc, eq, isNull } from 'drizzle-orm';
import { wouldOrphan } from '../../auth/rules';
import type { OrgResult, OrgScope, UserOrg } from '../types';
import { every, liveAt, membershipRole, ownerCount } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { endSessions } from './revoke';
import { memberships, orgs, sessions } from './schema';

/** Every org `userId` belongs to, oldest membership first (the one a new session binds to). */
export function listUserOrgs(db: Db, userId: string): UserOrg[] {
  return db
    .select({ orgId: orgs.id, name: orgs.name, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.orgId))
    .all();
}

/**
 * Moves one unrevoked session of `userId` to another org they belong to. The tokens carry no org,
 * so the very next request sees the new org; the switch is recorded in the security log.
 */
export function switchSessionOrg({ sqlite, db }: Connection, scope: OrgScope, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    if (!membershipRole(db, scope.orgId, scope.userId)) return { ok: false, error: 'not_found' };
    const [moved] = db
      .update(sessions)
      .set({ orgId: scope.orgId })
      .where(every(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)))
      .returning({ label: sessions.deviceLabel })
      .all();
    if (!moved) return { ok: false, error: 'not_found' };
    const event = { type: 'org_switched', userId: scope.userId, orgId: scope.orgId, sessionId: scope.sessionId, deviceLabel: moved.label } as const;
    recordEvents(db, [event], now);
    return { ok: true };
  });
}

/**
 * `userId` leaves `orgId`, ending their sessions there (as a sign-out from another device). The
 * org the acting session is bound to cannot be left (switch first), so the person always keeps an
 * org to sign in to; the last owner cannot leave at all.
 */
export function leaveOrg({ sqlite, db }: Connection, scope: OrgScope, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = membershipRole(db, scope.orgId, scope.userId);
    if (!role) return { ok: false, error: 'not_found' };
    const current = db
      .select({ orgId: sessions.orgId })
      .from(sessions)
      .where(every(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId)))
      .get();
    if (!current || current.orgId === scope.orgId) return { ok: false, error: 'current_org' };
    if (wouldOrphan(role, ownerCount(db, scope.orgId))) return { ok: false, error: 'last_owner' };
    endSessions(db, every(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), liveAt(now)), 'sign_out', true, now);
    db.delete(memberships).where(every(eq(memberships.orgId, scope.orgId), eq(memberships.userId, scope.userId))).run();
    recordEvents(db, [{ type: 'member_removed', userId: scope.userId, orgId: scope.orgId, actorUserId: scope.userId, detail: role }], now);
    return { ok: true };
  });
}
