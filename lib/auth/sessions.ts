import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { memberships, orgs, sessions, users, type DeviceType, type RevokeReason, type Role } from '../db/schema';
import { addSeconds, iso, randomId } from '../ids';

/** Session rows: create, look up, revoke. Knows the database, nothing about HTTP or tokens. */

export type NewSession = {
  userId: string;
  orgId: string;
  kid: string;
  deviceFingerprint: string;
  deviceLabel: string | null;
  deviceType: DeviceType;
  persistent: boolean;
  accessTtlSeconds: number;
  lifetimeSeconds: number;
};

export type CreatedSession = { id: string; accessExpiresAt: Date; refreshExpiresAt: Date; persistent: boolean };

/** Inserts a new session with a fresh 144-bit id; its absolute lifetime is fixed here, for good. */
export function insertSession(db: Db, input: NewSession, now: Date): CreatedSession {
  const id = randomId();
  const refreshExpiresAt = addSeconds(now, input.lifetimeSeconds);
  const accessExpiresAt = new Date(Math.min(addSeconds(now, input.accessTtlSeconds).getTime(), refreshExpiresAt.getTime()));
  db.insert(sessions)
    .values({
      id,
      userId: input.userId,
      orgId: input.orgId,
      kid: input.kid,
      deviceFingerprint: input.deviceFingerprint,
      deviceLabel: input.deviceLabel,
      deviceType: input.deviceType,
      accessExpiresAt: iso(accessExpiresAt),
      refreshExpiresAt: iso(refreshExpiresAt),
      createdAt: iso(now),
      refreshGeneration: 0,
      refreshRotatedAt: iso(now),
      lastSeenAt: iso(now),
      persistent: input.persistent,
    })
    .run();
  return { id, accessExpiresAt, refreshExpiresAt, persistent: input.persistent };
}

export type SessionContext = {
  sessionId: string;
  userId: string;
  email: string;
  orgId: string;
  orgName: string;
  role: Role | null; // null: the user is no longer a member of the session's org
  deviceLabel: string | null;
  createdAt: string;
  refreshExpiresAt: string;
  revokedAt: string | null;
  revokedReason: RevokeReason | null;
  revokedElsewhere: boolean;
  lastSeenAt: string;
  persistent: boolean;
};

const statements = new WeakMap<Db, ReturnType<typeof prepareLookup>>();

function prepareLookup(db: Db) {
  return db
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      email: users.email,
      orgId: sessions.orgId,
      orgName: orgs.name,
      role: memberships.role,
      deviceLabel: sessions.deviceLabel,
      createdAt: sessions.createdAt,
      refreshExpiresAt: sessions.refreshExpiresAt,
      revokedAt: sessions.revokedAt,
      revokedReason: sessions.revokedReason,
      revokedElsewhere: sessions.revokedElsewhere,
      lastSeenAt: sessions.lastSeenAt,
      persistent: sessions.persistent,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgs, eq(orgs.id, sessions.orgId))
    .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare();
}

/** One primary-key lookup (a statement prepared once per connection): the hot path of every request. */
export function findSessionContext(db: Db, sessionId: string): SessionContext | null {
  let lookup = statements.get(db);
  if (!lookup) {
    lookup = prepareLookup(db);
    statements.set(db, lookup);
  }
  return lookup.get({ id: sessionId }) ?? null;
}

/** Writes last-seen only when the stored value is older than `intervalSeconds` (one write per interval). */
export function touchSession(db: Db, sessionId: string, lastSeenAt: string, intervalSeconds: number, now: Date): void {
  if (Date.parse(lastSeenAt) > now.getTime() - intervalSeconds * 1000) return;
  db.update(sessions)
    .set({ lastSeenAt: iso(now) })
    .where(and(eq(sessions.id, sessionId), sql`${sessions.lastSeenAt} < ${iso(addSeconds(now, -intervalSeconds))}`))
    .run();
}

export type RevokedSession = { orgId: string; deviceLabel: string | null };

/**
 * Ends one of `userId`'s live sessions. Scoped in SQL by owner, so another user's id matches
 * nothing; returns the ended row's org and label for the security log, or null when nothing
 * matched (callers answer the same either way).
 */
export function revokeSession(
  db: Db,
  scope: { userId: string; sessionId: string },
  reason: RevokeReason,
  now: Date,
  options: { elsewhere?: boolean } = {},
): RevokedSession | null {
  const ended = db
    .update(sessions)
    .set({ revokedAt: iso(now), revokedReason: reason, revokedElsewhere: options.elsewhere ?? false })
    .where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)))
    .returning({ orgId: sessions.orgId, deviceLabel: sessions.deviceLabel })
    .get();
  return ended ?? null;
}

/** Ends every live session of `userId` except `keepSessionId`; returns how many ended. */
export function revokeOtherSessions(db: Db, userId: string, keepSessionId: string, now: Date): number {
  const result = db
    .update(sessions)
    .set({ revokedAt: iso(now), revokedReason: 'sign_out', revokedElsewhere: true })
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId), isNull(sessions.revokedAt), sql`${sessions.refreshExpiresAt} > ${iso(now)}`))
    .run();
  return result.changes;
}
