// Housekeeping's deletes, alike on both engines: the same tables, cut-offs and index-shaped subqueries.
import { sql, type SQL } from 'drizzle-orm';
import { addSeconds, iso } from '../ids';
import type { PruneOptions } from './types';

/** Codes live 10 minutes; a day later nothing (throttles, notices) still reads them. */
export const CHALLENGE_RETENTION_SECONDS = 86_400;

export type PruneStep = 'revokedSessions' | 'expiredSessions' | 'challenges' | 'events' | 'invitations';

/**
 * One batch of each delete, at most `limit` rows. Each inner SELECT is written so either engine
 * can answer it from an index: the partial indexes on sessions (revoked / not revoked), the
 * challenge expiry index, the event time index and the answered-invitation index (the SQLite
 * tests check the query plans). Each engine drains them in its own batches and transactions.
 */
export function pruneStatements(options: PruneOptions, limit: number): Record<PruneStep, SQL> {
  const cutoff = iso(addSeconds(options.now, -options.retentionDays * 86_400));
  const challengeCutoff = iso(addSeconds(options.now, -CHALLENGE_RETENTION_SECONDS));
  return {
    revokedSessions: sql`DELETE FROM sessions WHERE id IN (
      SELECT id FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < ${cutoff} LIMIT ${limit})`,
    expiredSessions: sql`DELETE FROM sessions WHERE id IN (
      SELECT id FROM sessions WHERE revoked_at IS NULL AND refresh_expires_at < ${cutoff} LIMIT ${limit})`,
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
