// Refresh rotation: the one-statement fast path, and the grace window / replay decision under the lock.
import type Database from 'better-sqlite3';
import type { RunResult, Statement } from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { decideRefresh, withDeviceBinding } from '../../rules';
import { iso } from '../../ids';
import type { Rotation, RotateRefresh } from '../types';
import { recordEvents } from './activity';
import type { Connection } from './connection';
import { withWriteLock } from './lock';
import { endedNotice } from '../events';
import { asRevokeReason } from '../model';
import { endSessions } from './revoke';
import { sessions } from './schema';

// Every fetch client and every expired page navigation comes through here, so its statements are
// prepared once per connection rather than rebuilt by the query builder on every call.
type RefreshRow = {
  userId: string;
  orgId: string;
  generation: number;
  rotatedAt: string;
  refreshExpiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  revokedElsewhere: number;
  revokedFrom: string | null;
  deviceLabel: string | null;
  persistent: number;
  orgName: string;
  bound: number;
};
type RotationParams = { id: string; userId: string; generation: number; next: number; now: string; accessExpiresAt: string; kid: string; deviceProven: 0 | 1 };

const READ_SQL = `
  SELECT s.user_id AS userId, s.org_id AS orgId, s.refresh_generation AS generation, s.refresh_rotated_at AS rotatedAt,
         s.refresh_expires_at AS refreshExpiresAt, s.revoked_at AS revokedAt, s.revoked_reason AS revokedReason,
         s.revoked_elsewhere AS revokedElsewhere, s.revoked_from_label AS revokedFrom, s.device_label AS deviceLabel,
         s.persistent AS persistent, o.name AS orgName, s.dbsc_public_key IS NOT NULL AS bound
    FROM sessions s JOIN orgs o ON o.id = s.org_id
   WHERE s.id = ?`;
const ROTATE_SET = `
  UPDATE sessions
     SET refresh_generation = @next, refresh_rotated_at = @now, access_expires_at = @accessExpiresAt,
         kid = @kid, last_seen_at = @now
   WHERE id = @id`;
// The usual case as one conditional UPDATE: the session exists, is the token's user's, is live, and
// is at the token's generation. Nothing is read before the write lock is held, so it is atomic.
const ROTATE_CURRENT_SQL = `${ROTATE_SET}
     AND user_id = @userId AND refresh_generation = @generation AND revoked_at IS NULL AND refresh_expires_at > @now
     AND (dbsc_public_key IS NULL OR @deviceProven = 1)
  RETURNING persistent`;

/** Refresh rotation with reuse detection (RFC 9700 §4.14.2) on one connection's prepared statements. */
export class RefreshRotation {
  private readonly read: Statement<[string], RefreshRow>;
  private readonly rotate: Statement<[RotationParams], RunResult>;
  private readonly rotateCurrent: Statement<[RotationParams], { persistent: number }>;
  private readonly sqlite: Database.Database;

  constructor(private readonly connection: Connection) {
    this.sqlite = connection.sqlite;
    this.read = this.sqlite.prepare<[string], RefreshRow>(READ_SQL);
    this.rotate = this.sqlite.prepare<[RotationParams], RunResult>(ROTATE_SET);
    this.rotateCurrent = this.sqlite.prepare<[RotationParams], { persistent: number }>(ROTATE_CURRENT_SQL);
  }

  /**
   * Moves the session on by one generation when the token carries the current one; honours the
   * previous generation within the grace window (no write); revokes the session on a replay.
   */
  async run(input: RotateRefresh, now: Date): Promise<Rotation> {
    const params: RotationParams = {
      id: input.sessionId,
      userId: input.userId,
      generation: input.generation,
      next: input.generation + 1,
      now: iso(now),
      accessExpiresAt: iso(input.accessExpiresAt),
      kid: input.kid,
      deviceProven: input.deviceProven ? 1 : 0,
    };
    // all(), not get(): SQLite runs its automatic checkpoint only when a statement steps to the
    // end, and a RETURNING statement read for one row and then reset never does. Under the lock's
    // COMMIT the checkpoint runs either way; all() keeps it so if the statement ever runs alone.
    const [rotated] = await withWriteLock(this.sqlite, () => this.rotateCurrent.all(params));
    if (rotated) return { outcome: 'rotated', persistent: rotated.persistent === 1 };
    // Everything else (an unknown or ended session, another generation) is read and decided under
    // one lock, so two replays of one token cannot both see the session live.
    return withWriteLock(this.sqlite, () => this.decide(params, input.graceSeconds, now));
  }

  private decide(params: RotationParams, graceSeconds: number, now: Date): Rotation {
    const row = this.read.get(params.id);
    const state = row ? { userId: row.userId, generation: row.generation, rotatedAt: row.rotatedAt, refreshExpiresAt: row.refreshExpiresAt, revokedAt: row.revokedAt } : null;
    const decided = decideRefresh(state, { userId: params.userId, generation: params.generation }, graceSeconds, now);
    if (!row) return { outcome: 'invalid' };
    const decision = withDeviceBinding(decided, row.bound === 1, params.deviceProven === 1);
    switch (decision) {
      case 'invalid':
      case 'expired':
        return { outcome: decision };
      case 'device_bound':
        recordEvents(this.connection.db, [{ type: 'refresh_without_device_key', userId: row.userId, orgId: row.orgId, sessionId: params.id, deviceLabel: row.deviceLabel }], now);
        return { outcome: 'device_bound' };
      case 'revoked': {
        const ending = { ...row, revokedReason: asRevokeReason(row.revokedReason), revokedElsewhere: row.revokedElsewhere === 1 };
        return { outcome: 'revoked', notice: endedNotice(ending, params.now) };
      }
      case 'rotate':
        this.rotate.run(params);
        return { outcome: 'rotated', persistent: row.persistent === 1 };
      case 'grace':
        return { outcome: 'grace', persistent: row.persistent === 1 };
      case 'replay': {
        const { db } = this.connection;
        endSessions(db, eq(sessions.id, params.id), 'reuse_detected', false, now);
        recordEvents(db, [{ type: 'refresh_reuse_detected', userId: row.userId, orgId: row.orgId, sessionId: params.id, deviceLabel: row.deviceLabel }], now);
        return { outcome: 'revoked', notice: endedNotice({ revokedReason: 'reuse_detected', revokedAt: null, revokedElsewhere: false, revokedFrom: null, orgName: row.orgName }, params.now) };
      }
    }
  }
}
