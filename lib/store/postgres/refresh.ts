// Refresh rotation with reuse detection: a one-statement fast path, and a locked slow path for everything else.
import { eq, sql } from 'drizzle-orm';
import { decideRefresh, withDeviceBinding } from '../../rules';
import { iso } from '../../ids';
import type { Rotation, RotateRefresh } from '../types';
import type { Pg } from './connection';
import { endedNotice } from '../events';
import { asRevokeReason } from '../model';
import { endSessions } from './revoke';
import { recordEvents } from './rows';
import { orgs, sessions } from './schema';
import { inTransaction, type Tx } from './tx';

/**
 * The usual case as one conditional UPDATE, prepared once per connection: the session exists, is
 * the token's user's, is live and is at the token's generation. Twenty refreshes of one token at
 * once all reach the row; the first takes its row lock and moves the generation on, the others
 * wait for that lock and then re-check the WHERE on the row's newest version (READ COMMITTED's
 * EvalPlanQual), which no longer matches. They go to the slow path and find the grace window.
 */
const ROTATE_CURRENT = {
  name: 'signet_rotate_current',
  text: `
    UPDATE sessions
       SET refresh_generation = $3::int + 1, refresh_rotated_at = $4, access_expires_at = $5, kid = $6, last_seen_at = $4
     WHERE id = $1 AND user_id = $2 AND refresh_generation = $3::int AND revoked_at IS NULL AND refresh_expires_at > $4
       AND (dbsc_public_key IS NULL OR $7::boolean)
    RETURNING persistent`,
};

export async function rotateRefresh(pg: Pg, input: RotateRefresh, now: Date): Promise<Rotation> {
  const values = [input.sessionId, input.userId, input.generation, iso(now), iso(input.accessExpiresAt), input.kid, input.deviceProven === true];
  const rotated = await pg.pool.query<{ persistent: boolean }>({ ...ROTATE_CURRENT, values });
  const row = rotated.rows[0];
  if (row) return { outcome: 'rotated', persistent: row.persistent };
  return inTransaction(pg.pool, (tx) => classifyUnderLock(tx, input, now));
}

/**
 * Everything the fast path did not match: an unknown, foreign, ended or expired session, or
 * another generation (the grace window, or a replay). Lock plan: the session row FOR UPDATE
 * (not the org's), so the decision and a revocation for reuse see one version of it and no
 * rotation can slip in between; decideRefresh (lib/rules) makes the call.
 */
async function classifyUnderLock(tx: Tx, input: RotateRefresh, now: Date): Promise<Rotation> {
  const [row] = await tx.db
    .select({
      userId: sessions.userId,
      orgId: sessions.orgId,
      generation: sessions.refreshGeneration,
      rotatedAt: sessions.refreshRotatedAt,
      refreshExpiresAt: sessions.refreshExpiresAt,
      revokedAt: sessions.revokedAt,
      revokedReason: sessions.revokedReason,
      revokedElsewhere: sessions.revokedElsewhere,
      revokedFrom: sessions.revokedFromLabel,
      deviceLabel: sessions.deviceLabel,
      persistent: sessions.persistent,
      orgName: orgs.name,
      bound: sql<boolean>`${sessions.dbscPublicKey} IS NOT NULL`,
    })
    .from(sessions)
    .innerJoin(orgs, eq(orgs.id, sessions.orgId))
    .where(eq(sessions.id, input.sessionId))
    .for('update', { of: sessions });

  if (!row) return { outcome: 'invalid' }; // what decideRefresh answers for no row, said before it so `row` is known below
  const claim = { userId: input.userId, generation: input.generation };
  switch (withDeviceBinding(decideRefresh(row, claim, input.graceSeconds, now), row.bound, input.deviceProven === true)) {
    case 'invalid':
      return { outcome: 'invalid' };
    case 'device_bound': {
      const event = { type: 'refresh_without_device_key', userId: row.userId, orgId: row.orgId, sessionId: input.sessionId, deviceLabel: row.deviceLabel } as const;
      await recordEvents(tx, [event], now);
      return { outcome: 'device_bound' };
    }
    case 'expired':
      return { outcome: 'expired' };
    case 'grace':
      return { outcome: 'grace', persistent: row.persistent };
    case 'revoked':
      return { outcome: 'revoked', notice: endedNotice({ ...row, revokedReason: asRevokeReason(row.revokedReason) }, iso(now)) };
    case 'rotate': {
      const nowIso = iso(now);
      await tx.db
        .update(sessions)
        .set({ refreshGeneration: input.generation + 1, refreshRotatedAt: nowIso, accessExpiresAt: iso(input.accessExpiresAt), kid: input.kid, lastSeenAt: nowIso })
        .where(eq(sessions.id, input.sessionId));
      return { outcome: 'rotated', persistent: row.persistent };
    }
    case 'replay': {
      // A generation older than the grace window allows: the token was stolen or replayed. The
      // session ends (its current tokens die with it) and the person's activity says why.
      await endSessions(tx, { kind: 'session', sessionId: input.sessionId, userId: input.userId }, 'reuse_detected', false, now);
      const event = { type: 'refresh_reuse_detected', userId: row.userId, orgId: row.orgId, sessionId: input.sessionId, deviceLabel: row.deviceLabel } as const;
      await recordEvents(tx, [event], now);
      return { outcome: 'revoked', notice: endedNotice({ revokedReason: 'reuse_detected', revokedAt: null, revokedElsewhere: false, revokedFrom: null, orgName: row.orgName }, iso(now)) };
    }
  }
}
