// Operators: live sessions per key version, and housekeeping (deleting what is past retention, in batches).
import { and, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { iso } from '../../ids';
import { pruneStatements } from '../prune';
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
/** A breath between batches, so the deletes never crowd out requests for long. */
const PRUNE_PAUSE_MS = 2;

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
  return {
    sessions: (await drain(statements.revokedSessions)) + (await drain(statements.expiredSessions)),
    challenges: await drain(statements.challenges),
    events: await drain(statements.events),
    invitations: await drain(statements.invitations),
  };
}
