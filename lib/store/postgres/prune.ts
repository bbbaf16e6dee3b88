// Operators: live sessions per key version, and housekeeping (deleting what is past retention, in batches).
import { and, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { addSeconds, iso } from '../../ids';
import type { PruneCounts, PruneOptions } from '../types';
import type { Pg } from './connection';
import { sessions } from './schema';
import { expireInvitations } from './invitations';
import { inTransaction } from './tx';

/** Live sessions per key version (not revoked, before their absolute end). */
export async function liveSessionsByKid(pg: Pg, now: Date): Promise<Map<string, number>> {
  const rows = await pg.db
    .select({ kid: sessions.kid, n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(and(isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now))))
    .groupBy(sessions.kid);
  return new Map(rows.map((row) => [row.kid, Number(row.n)]));
}

/** Rows per delete when the caller names no batch size: small enough that one batch holds its row locks for milliseconds. */
export const PRUNE_BATCH_SIZE = 500;
/** As lib/prune.ts: codes live 10 minutes; a day later nothing (throttles, notices) still reads them. */
export const CHALLENGE_RETENTION_SECONDS = 86_400;
/** A breath between batches, so the deletes never crowd out requests for long. */
const PRUNE_PAUSE_MS = 2;

/**
 * One batch of each delete. Each inner SELECT can be answered from an index: the partial indexes
 * on sessions (revoked / not revoked), the challenge expiry index and the event time index.
 */
function pruneStatements(options: PruneOptions, limit: number): { sessions: SQL[]; challenges: SQL; events: SQL; invitations: SQL } {
  const cutoff = iso(addSeconds(options.now, -options.retentionDays * 86_400));
  const challengeCutoff = iso(addSeconds(options.now, -CHALLENGE_RETENTION_SECONDS));
  return {
    sessions: [
      sql`DELETE FROM sessions WHERE id IN (
        SELECT id FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < ${cutoff} LIMIT ${limit})`,
      sql`DELETE FROM sessions WHERE id IN (
        SELECT id FROM sessions WHERE revoked_at IS NULL AND refresh_expires_at < ${cutoff} LIMIT ${limit})`,
    ],
    challenges: sql`DELETE FROM sign_in_challenges WHERE id IN (
      SELECT id FROM sign_in_challenges WHERE expires_at < ${challengeCutoff} LIMIT ${limit})`,
    events: sql`DELETE FROM security_events WHERE id IN (
      SELECT id FROM security_events WHERE created_at < ${cutoff} LIMIT ${limit})`,
    // Invitations answered, withdrawn or lapsed before the cut-off: they hold an address that may
    // belong to nobody with an account, so they go with the rest of the history.
    invitations: sql`DELETE FROM org_invitations WHERE id IN (
      SELECT id FROM org_invitations WHERE resolved_at IS NOT NULL AND resolved_at < ${cutoff} LIMIT ${limit})`,
  };
}

/**
 * Deletes sessions that ended (revoked, or past their absolute end) more than `retentionDays` ago,
 * challenges dead for over a day, security events older than the retention, and invitations
 * closed before it (lapsed ones are first marked expired, with their events). Lock plan: each
 * batch is one statement in its own short transaction (retried on a deadlock), so its row locks
 * last only as long as it runs and a request waiting on one waits for one batch at most. No WAL
 * handling: PostgreSQL's checkpointer and autovacuum do what SQLite needed doing by hand.
 */
export async function prune(pg: Pg, options: PruneOptions): Promise<PruneCounts> {
  const limit = options.batchSize ?? PRUNE_BATCH_SIZE;
  const statements = pruneStatements(options, limit);
  await expireInvitations(pg, { all: true }, options.now);
  const drain = async (statement: SQL): Promise<number> => {
    let total = 0;
    for (;;) {
      const removed = await inTransaction(pg.pool, async (tx) => (await tx.db.execute(statement)).rowCount ?? 0);
      total += removed;
      if (removed < limit) return total;
      await new Promise((resolve) => setTimeout(resolve, PRUNE_PAUSE_MS));
    }
  };
  let sessionsRemoved = 0;
  for (const statement of statements.sessions) sessionsRemoved += await drain(statement);
  return {
    sessions: sessionsRemoved,
    challenges: await drain(statements.challenges),
    events: await drain(statements.events),
    invitations: await drain(statements.invitations),
  };
}
