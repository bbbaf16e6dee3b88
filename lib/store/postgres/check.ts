// The per-request hot path: the session lookup and the last-seen write, as named prepared statements.
import type { Pool } from 'pg';
import { addSeconds, iso } from '../../ids';
import type { SessionContext } from '../types';
import { asRevokeReason, asRole } from '../model';

/**
 * One primary-key probe with its user, org and membership, prepared once per connection (the
 * statement name makes pg parse and plan it once per connection, then only bind and execute).
 * Always read from the database: there is no row cache on PostgreSQL, because another instance
 * may revoke a session at any moment and the very next request, anywhere, must refuse it.
 */
const CHECK_SESSION = {
  name: 'signet_check_session',
  text: `
    SELECT s.id AS "sessionId", s.user_id AS "userId", u.email, s.org_id AS "orgId", o.name AS "orgName",
           m.role, s.device_label AS "deviceLabel", s.created_at AS "createdAt",
           s.refresh_expires_at AS "refreshExpiresAt", s.revoked_at AS "revokedAt", s.revoked_reason AS "revokedReason",
           s.revoked_elsewhere AS "revokedElsewhere", s.revoked_from_label AS "revokedFrom",
           s.last_seen_at AS "lastSeenAt", s.persistent
      FROM sessions s
      JOIN users u ON u.id = s.user_id
      JOIN orgs o ON o.id = s.org_id
      LEFT JOIN memberships m ON m.user_id = s.user_id AND m.org_id = s.org_id
     WHERE s.id = $1`,
};

type CheckRow = Omit<SessionContext, 'role' | 'revokedReason'> & { role: string | null; revokedReason: string | null };

export async function findSessionForCheck(pool: Pool, sessionId: string): Promise<SessionContext | null> {
  const result = await pool.query<CheckRow>({ ...CHECK_SESSION, values: [sessionId] });
  const row = result.rows[0];
  if (!row) return null;
  return { ...row, role: asRole(row.role), revokedReason: asRevokeReason(row.revokedReason) };
}

/**
 * Last-seen in one statement that never waits for a row lock. `due` reads the row as of the
 * statement's snapshot; `locked` takes its lock with SKIP LOCKED, so a row another transaction
 * holds (a rotation, a revocation) is skipped at once instead of queued behind. Due but not
 * locked means someone else is writing that row right now: 'busy', and a later request writes it.
 */
const TOUCH_LAST_SEEN = {
  name: 'signet_touch_last_seen',
  text: `
    WITH due AS (
           SELECT id FROM sessions WHERE id = $1 AND last_seen_at < $3),
         locked AS (
           SELECT id FROM sessions WHERE id = $1 AND last_seen_at < $3 FOR UPDATE SKIP LOCKED),
         touched AS (
           UPDATE sessions SET last_seen_at = $2
            WHERE id IN (SELECT id FROM locked) AND last_seen_at < $3
           RETURNING id)
    SELECT EXISTS (SELECT 1 FROM touched) AS written, EXISTS (SELECT 1 FROM due) AS due`,
};

export async function touchLastSeen(pool: Pool, sessionId: string, now: Date, intervalSeconds: number): Promise<'written' | 'not_due' | 'busy'> {
  const cutoff = iso(addSeconds(now, -intervalSeconds));
  const result = await pool.query<{ written: boolean; due: boolean }>({ ...TOUCH_LAST_SEEN, values: [sessionId, iso(now), cutoff] });
  const row = result.rows[0];
  if (row?.written) return 'written';
  return row?.due ? 'busy' : 'not_due';
}
