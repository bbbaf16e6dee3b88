// Ending sessions: the one revocation UPDATE, and revoke(scope) with its authorisation and security events.
import { and, eq, gt, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { canManage, isAdminRole } from '../../rules';
import { iso } from '../../ids';
import { actingSessionId, endedElsewhere, revocationEvents, type EndedSession } from '../events';
import { asRole, type RevokeReason } from '../model';
import type { OrgError, RevokeScope, Revoked } from '../types';
import { shareMemberships } from './access';
import type { Pg } from './connection';
import { dropDeviceChallenges } from './dbsc';
import { recordEvents } from './rows';
import { memberships, sessions } from './schema';
import { inTransaction, type Tx } from './tx';

/** Which sessions one revocation UPDATE ends; each is narrowed by its owner, org or key. */
export type SessionTarget =
  | { kind: 'session'; sessionId: string; userId: string }
  | { kind: 'session_in_org'; sessionId: string; orgId: string }
  | { kind: 'user_in_org'; userId: string; orgId: string }
  | { kind: 'org'; orgId: string }
  | { kind: 'user_except'; userId: string; keepSessionId: string }
  | { kind: 'user_all'; userId: string }
  | { kind: 'alert_token'; tokenHash: string }
  | { kind: 'key_batch'; kid: string; limit: number };

export const KEY_BATCH_SIZE = 500;

const live = (now: Date): SQL | undefined => and(isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now)));

function targetWhere(target: SessionTarget, now: Date): SQL | undefined {
  switch (target.kind) {
    case 'session':
      return and(eq(sessions.id, target.sessionId), eq(sessions.userId, target.userId));
    case 'session_in_org':
      return and(eq(sessions.id, target.sessionId), eq(sessions.orgId, target.orgId));
    case 'user_in_org':
      return and(eq(sessions.userId, target.userId), eq(sessions.orgId, target.orgId), live(now));
    case 'org':
      return and(eq(sessions.orgId, target.orgId), live(now));
    case 'user_except':
      return and(eq(sessions.userId, target.userId), ne(sessions.id, target.keepSessionId), live(now));
    case 'user_all':
      return and(eq(sessions.userId, target.userId), live(now));
    case 'alert_token':
      // The token is the only proof: it must match a live session's hash exactly.
      return and(eq(sessions.alertTokenHash, target.tokenHash), live(now));
    case 'key_batch': {
      // The batch's conditions are repeated outside the subquery: a row that moved to another key
      // or ended while this waited for its lock is re-checked on its newest version and left alone.
      const onKey = and(eq(sessions.kid, target.kid), live(now));
      const batch = sql`(SELECT id FROM sessions WHERE kid = ${target.kid} AND revoked_at IS NULL AND refresh_expires_at > ${iso(now)} LIMIT ${target.limit})`;
      return and(inArray(sessions.id, batch), onKey);
    }
  }
}

/**
 * THE revocation: every way a session ends (sign-out, admin, reuse detection, key retirement,
 * removal from an org, the alert email's link) is this one UPDATE, in the caller's transaction.
 * Only live rows (revoked_at IS NULL) change, so a session ends once and keeps its first reason;
 * the rows it returns are exactly the ones this call ended, for the security log. `fromLabel`
 * names the person's device that did it. Every ending clears the "Not you?" token hash, so that
 * link dies with its session however the session ends (L11).
 */
export async function endSessions(
  tx: Tx,
  target: SessionTarget,
  reason: RevokeReason,
  elsewhere: boolean,
  now: Date,
  fromLabel: string | null = null,
): Promise<EndedSession[]> {
  const ended = await tx.db
    .update(sessions)
    .set({ revokedAt: iso(now), revokedReason: reason, revokedElsewhere: elsewhere, revokedFromLabel: fromLabel, alertTokenHash: null, dbscPublicKey: null })
    .where(and(targetWhere(target, now), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, userId: sessions.userId, orgId: sessions.orgId, deviceLabel: sessions.deviceLabel });
  // DBSC: the bound key (cleared above) and the open challenges end with the session.
  await dropDeviceChallenges(tx, ended.map((session) => session.id));
  return ended;
}

type Authorised = { target: SessionTarget } | { error: OrgError } | { nothing: true };

/**
 * Who may end what. Own sessions need nothing more than the owner in the WHERE. Lock plan for the
 * org scopes: the actor's (and for org_member the target's) membership rows FOR SHARE, in user_id
 * order, so a concurrent removal of either waits for this transaction or is seen by it; then the
 * UPDATE takes the sessions' row locks.
 */
async function authorise(tx: Tx, scope: Exclude<RevokeScope, { kind: 'key' }>): Promise<Authorised> {
  switch (scope.kind) {
    case 'session':
      return { target: { kind: 'session', sessionId: scope.sessionId, userId: scope.userId } };
    case 'other_sessions':
      return { target: { kind: 'user_except', userId: scope.userId, keepSessionId: scope.keepSessionId } };
    case 'all_sessions':
      return { target: { kind: 'user_all', userId: scope.userId } };
    case 'alert_link':
      return { target: { kind: 'alert_token', tokenHash: scope.tokenHash } };
    case 'org_session': {
      const actorRole = (await shareMemberships(tx, scope.actor.orgId, [scope.actor.userId])).get(scope.actor.userId);
      if (!isAdminRole(actorRole)) return { error: 'not_found' };
      // An unknown id, another org's session and an ended one all get the same answer: nothing ended.
      const [session] = await tx.db
        .select({ role: memberships.role })
        .from(sessions)
        .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
        .where(and(eq(sessions.id, scope.sessionId), eq(sessions.orgId, scope.actor.orgId), isNull(sessions.revokedAt)));
      if (!session) return { nothing: true };
      if (!canManage(actorRole, asRole(session.role) ?? 'member')) return { error: 'forbidden' };
      return { target: { kind: 'session_in_org', sessionId: scope.sessionId, orgId: scope.actor.orgId } };
    }
    case 'org_member': {
      const roles = await shareMemberships(tx, scope.actor.orgId, [scope.actor.userId, scope.userId]);
      const actorRole = roles.get(scope.actor.userId);
      const targetRole = roles.get(scope.userId);
      if (!isAdminRole(actorRole) || !targetRole) return { error: 'not_found' };
      if (!canManage(actorRole, targetRole)) return { error: 'forbidden' };
      return { target: { kind: 'user_in_org', userId: scope.userId, orgId: scope.actor.orgId } };
    }
  }
}

/** Ends the sessions `scope` names and writes their security events, in one transaction. */
export async function revoke(pg: Pg, scope: RevokeScope, reason: RevokeReason, now: Date): Promise<Revoked> {
  if (scope.kind === 'key') return revokeKey(pg, scope, reason, now);
  return inTransaction(pg.pool, async (tx): Promise<Revoked> => {
    const authorised = await authorise(tx, scope);
    if ('error' in authorised) return { ok: false, error: authorised.error };
    if ('nothing' in authorised) return { ok: true, ended: 0 };
    const fromLabel = await actingLabel(tx, scope);
    const ended = await endSessions(tx, authorised.target, reason, endedElsewhere(scope), now, fromLabel);
    await recordEvents(tx, revocationEvents(scope, reason, ended, fromLabel), now);
    return { ok: true, ended: ended.length };
  });
}

/**
 * The label of the person's session a revocation is done from. Read without a lock: a rename
 * racing the revocation may or may not be seen, and either name is true of that moment.
 */
async function actingLabel(tx: Tx, scope: RevokeScope): Promise<string | null> {
  const id = actingSessionId(scope);
  if (id === null || !('userId' in scope)) return null;
  const [row] = await tx.db
    .select({ label: sessions.deviceLabel })
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, scope.userId)));
  return row?.label ?? null;
}

/**
 * Lock plan: one short transaction per batch of KEY_BATCH_SIZE sessions (their row locks and
 * their events), yielding between batches so requests keep flowing. Runs until a batch ends
 * nothing: a batch can come back short because a row moved key while it waited, so "short" does
 * not mean "done".
 */
async function revokeKey(pg: Pg, scope: Extract<RevokeScope, { kind: 'key' }>, reason: RevokeReason, now: Date): Promise<Revoked> {
  let total = 0;
  for (;;) {
    const ended = await inTransaction(pg.pool, async (tx) => {
      const rows = await endSessions(tx, { kind: 'key_batch', kid: scope.kid, limit: KEY_BATCH_SIZE }, reason, endedElsewhere(scope), now);
      await recordEvents(tx, revocationEvents(scope, reason, rows), now);
      return rows.length;
    });
    total += ended;
    if (ended === 0) return { ok: true, ended: total };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
