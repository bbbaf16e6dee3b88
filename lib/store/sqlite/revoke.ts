// Ending sessions: the one revocation UPDATE every scope, reuse detection and org departures share.
import { eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { canManage } from '../../rules';
import { iso } from '../../ids';
import { actingSessionId, endedElsewhere, revocationEvents, type EndedSession } from '../events';
import type { RevokeReason } from '../model';
import type { Revoked, RevokeScope } from '../types';
import { adminRole, every, liveAt, membershipRole } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { dropDeviceChallenges } from './dbsc';
import { withWriteLock } from './lock';
import { sessions } from './schema';

/** Sessions one key-retirement transaction ends; the lock is let go between batches. */
export const KEY_BATCH_SIZE = 500;

/**
 * Revokes every session `where` matches and returns the ones it ended. The one revocation
 * statement of this engine; call it inside the write lock, with the caller's events alongside.
 * `fromLabel` names the person's device that did it. Every ending clears the session's "Not you?"
 * token hash, so that link dies with its session however the session ends (L11).
 */
export function endSessions(db: Db, where: SQL, reason: RevokeReason, elsewhere: boolean, now: Date, fromLabel: string | null = null): EndedSession[] {
  // all(), not get(): SQLite runs its automatic WAL checkpoint only when a statement steps to
  // the end, and a RETURNING statement read for one row and then reset never does.
  const ended = db
    .update(sessions)
    .set({ revokedAt: iso(now), revokedReason: reason, revokedElsewhere: elsewhere, revokedFromLabel: fromLabel, alertTokenHash: null, dbscPublicKey: null })
    .where(where)
    .returning({ id: sessions.id, userId: sessions.userId, orgId: sessions.orgId, deviceLabel: sessions.deviceLabel })
    .all();
  // DBSC: the bound key (cleared above) and the open challenges end with the session.
  dropDeviceChallenges(db, ended.map((session) => session.id));
  return ended;
}

/**
 * Ends the sessions `scope` names and writes their security events in the same transaction.
 * Every scope is narrowed in SQL by owner or org, so a foreign id ends nothing and answers alike.
 */
export async function revoke(connection: Connection, scope: RevokeScope, reason: RevokeReason, now: Date): Promise<Revoked> {
  if (scope.kind === 'key') return { ok: true, ended: await revokeKey(connection, scope, reason, now) };
  const { sqlite, db } = connection;
  return withWriteLock(sqlite, (): Revoked => {
    const target = targetOf(db, scope, now);
    if (!target.ok) return target;
    if (target.where === null) return { ok: true, ended: 0 };
    const fromLabel = actingLabel(db, scope);
    const ended = endSessions(db, target.where, reason, endedElsewhere(scope), now, fromLabel);
    recordEvents(db, revocationEvents(scope, reason, ended, fromLabel), now);
    return { ok: true, ended: ended.length };
  });
}

type Target = { ok: true; where: SQL | null } | Extract<Revoked, { ok: false }>;

/** The label of the person's session a revocation is done from (read in the same transaction). */
function actingLabel(db: Db, scope: RevokeScope): string | null {
  const id = actingSessionId(scope);
  if (id === null || !('userId' in scope)) return null;
  const row = db.select({ label: sessions.deviceLabel }).from(sessions).where(every(eq(sessions.id, id), eq(sessions.userId, scope.userId))).get();
  return row?.label ?? null;
}

/**
 * Which rows a (non-key) scope ends, after the org scopes' permission checks. Read inside the
 * write lock, so a role removed a moment ago is never honoured. `where: null`: nothing to end.
 */
function targetOf(db: Db, scope: Exclude<RevokeScope, { kind: 'key' }>, now: Date): Target {
  switch (scope.kind) {
    case 'session':
      return { ok: true, where: every(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)) };
    case 'other_sessions':
      return { ok: true, where: every(eq(sessions.userId, scope.userId), ne(sessions.id, scope.keepSessionId), liveAt(now)) };
    case 'all_sessions':
      return { ok: true, where: every(eq(sessions.userId, scope.userId), liveAt(now)) };
    case 'alert_link':
      // The token is the only proof: it must match a live session's hash exactly.
      return { ok: true, where: every(eq(sessions.alertTokenHash, scope.tokenHash), liveAt(now)) };
    case 'org_session': {
      const role = adminRole(db, scope.actor);
      if (!role) return { ok: false, error: 'not_found' };
      const where = every(eq(sessions.id, scope.sessionId), eq(sessions.orgId, scope.actor.orgId), isNull(sessions.revokedAt));
      const session = db.select({ userId: sessions.userId }).from(sessions).where(where).get();
      if (!session) return { ok: true, where: null };
      // A session whose user has since left the org is treated as a plain member's.
      const targetRole = membershipRole(db, scope.actor.orgId, session.userId) ?? 'member';
      return canManage(role, targetRole) ? { ok: true, where } : { ok: false, error: 'forbidden' };
    }
    case 'org_member': {
      const role = adminRole(db, scope.actor);
      const targetRole = role ? membershipRole(db, scope.actor.orgId, scope.userId) : null;
      if (!role || !targetRole) return { ok: false, error: 'not_found' };
      if (!canManage(role, targetRole)) return { ok: false, error: 'forbidden' };
      return { ok: true, where: every(eq(sessions.orgId, scope.actor.orgId), eq(sessions.userId, scope.userId), liveAt(now)) };
    }
  }
}

/**
 * Ends every live session on a retired key version, KEY_BATCH_SIZE at a time, each batch its own
 * immediate transaction, yielding to the event loop between them: the app keeps serving (and
 * other processes keep getting the lock) however many sessions the key still has.
 */
async function revokeKey(connection: Connection, scope: Extract<RevokeScope, { kind: 'key' }>, reason: RevokeReason, now: Date): Promise<number> {
  const { sqlite, db } = connection;
  const batch = sql`${sessions.id} IN (
    SELECT ${sessions.id} FROM ${sessions} WHERE ${every(eq(sessions.kid, scope.kid), liveAt(now))} LIMIT ${KEY_BATCH_SIZE})`;
  let total = 0;
  for (;;) {
    const ended = await withWriteLock(sqlite, () => {
      const rows = endSessions(db, batch, reason, endedElsewhere(scope), now);
      recordEvents(db, revocationEvents(scope, reason, rows), now);
      return rows.length;
    });
    total += ended;
    if (ended < KEY_BATCH_SIZE) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
