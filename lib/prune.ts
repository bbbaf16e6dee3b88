import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './db';
import { addSeconds, iso } from './ids';

/**
 * Housekeeping: deletes what Signet no longer needs to keep. Sessions that ended (revoked or
 * expired) more than `retentionDays` ago, sign-in challenges dead for over a day, and security
 * events older than the retention. Small batches, each its own immediate transaction, with a
 * yield between them, so requests keep getting the write lock while it runs.
 */

export type PruneCounts = { sessions: number; challenges: number; events: number };
export type PruneOptions = { now: Date; retentionDays: number; batchSize?: number };

export const PRUNE_BATCH_SIZE = 500;
/** Codes live 10 minutes; a day later nothing (throttles, notices) still reads them. */
export const CHALLENGE_RETENTION_SECONDS = 86_400;

type PruneStep = 'revokedSessions' | 'expiredSessions' | 'challenges' | 'events';

/**
 * One batch of each delete. Each inner SELECT is written so SQLite can answer it from an index:
 * the partial indexes on sessions (revoked / not revoked), the challenge expiry index and the
 * event time index (the tests check the query plans).
 */
export function pruneStatements(options: PruneOptions): Record<PruneStep, SQL> {
  const cutoff = iso(addSeconds(options.now, -options.retentionDays * 86_400));
  const challengeCutoff = iso(addSeconds(options.now, -CHALLENGE_RETENTION_SECONDS));
  const limit = options.batchSize ?? PRUNE_BATCH_SIZE;
  return {
    revokedSessions: sql`DELETE FROM sessions WHERE id IN (
      SELECT id FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < ${cutoff} LIMIT ${limit})`,
    expiredSessions: sql`DELETE FROM sessions WHERE id IN (
      SELECT id FROM sessions WHERE revoked_at IS NULL AND refresh_expires_at < ${cutoff} LIMIT ${limit})`,
    challenges: sql`DELETE FROM sign_in_challenges WHERE id IN (
      SELECT id FROM sign_in_challenges WHERE expires_at < ${challengeCutoff} LIMIT ${limit})`,
    events: sql`DELETE FROM security_events WHERE id IN (
      SELECT id FROM security_events WHERE created_at < ${cutoff} LIMIT ${limit})`,
  };
}

/** Runs every delete to completion, batch by batch, and returns how many rows each removed. */
export async function pruneExpiredData(db: Db, options: PruneOptions): Promise<PruneCounts> {
  const statements = pruneStatements(options);
  const limit = options.batchSize ?? PRUNE_BATCH_SIZE;
  const drain = async (statement: SQL): Promise<number> => {
    let total = 0;
    for (;;) {
      const removed = db.transaction((tx) => tx.run(statement).changes, { behavior: 'immediate' });
      total += removed;
      if (removed < limit) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return {
    sessions: (await drain(statements.revokedSessions)) + (await drain(statements.expiredSessions)),
    challenges: await drain(statements.challenges),
    events: await drain(statements.events),
  };
}
