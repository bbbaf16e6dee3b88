// A person's own orgs: which they belong to, moving a session between them, and leaving one.
import { asc, eq, isNull, sql } from 'drizzle-orm';
import { wouldOrphan } from '../../rules';
import type { OrgResult, OrgScope, UserOrg } from '../types';
import { every, liveOrg, membershipRole, ownerCount } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { memberships, orgs, sessions } from './schema';
import { personalOrgOf } from './users';

/** Every org `userId` belongs to: their personal org first, then by when they joined. */
export function listUserOrgs(db: Db, userId: string): UserOrg[] {
  return db
    .select({ orgId: orgs.id, name: orgs.name, role: memberships.role, personal: sql<number>`${orgs.personalUserId} IS NOT NULL` })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${orgs.personalUserId} IS NULL`, asc(memberships.createdAt), asc(memberships.orgId))
    .all()
    .map((row) => ({ ...row, personal: row.personal === 1 }));
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
 * `userId` leaves `orgId`. Their unrevoked sessions there move to their personal org, so the org
 * stops seeing them at once (P3) while they stay signed in. A personal org is never left, and
 * the last owner cannot leave: they transfer ownership or delete the org first.
 */
export function leaveOrg({ sqlite, db }: Connection, scope: OrgScope, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = membershipRole(db, scope.orgId, scope.userId);
    const org = role ? liveOrg(db, scope.orgId) : null;
    if (!role || !org) return { ok: false, error: 'not_found' };
    if (org.personalUserId !== null) return { ok: false, error: 'personal' };
    if (wouldOrphan(role, ownerCount(db, scope.orgId))) return { ok: false, error: 'last_owner' };
    const personal = personalOrgOf(db, scope.userId, now);
    db.update(sessions)
      .set({ orgId: personal })
      .where(every(eq(sessions.orgId, scope.orgId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)))
      .run();
    db.delete(memberships).where(every(eq(memberships.orgId, scope.orgId), eq(memberships.userId, scope.userId))).run();
    recordEvents(db, [{ type: 'member_removed', userId: scope.userId, orgId: scope.orgId, actorUserId: scope.userId, detail: role }], now);
    return { ok: true };
  });
}
