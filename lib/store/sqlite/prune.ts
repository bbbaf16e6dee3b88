// Housekeeping: deleting what is past retention in small locked batches, checkpointing the WAL between them.
import type { SQL } from 'drizzle-orm';
import { pruneStatements } from '../prune';
import type { PruneCounts, PruneOptions } from '../types';
import type { Connection } from './connection';
import { expireInvitations } from './invitations';
import { withWriteLock } from './lock';

/**
 * Sized for a server checking sessions in another process at the same time (npm run bench,
 * figure 6): 200 rows (each touching five indexes) keep one batch's WAL under SQLite's
 * 1 000-page auto-checkpoint, so the server's own commits never inherit a big checkpoint. With
 * 500 rows and no checkpoints of its own, a server's check stalled for 527 ms.
 */
export const PRUNE_BATCH_SIZE = 200;
/** Between batches: long enough for readers to move to the newest snapshot, short enough to matter little. */
export const PRUNE_PAUSE_MS = 2;

/**
 * Deletes sessions that ended (revoked or expired) more than `retentionDays` ago, challenges dead
 * for over a day, older security events and invitations closed before the retention (lapsed
 * ones are marked expired first, with their events), batch by batch. Each batch is its own immediate
 * transaction through the write lock, with a pause after it, so requests keep getting the lock.
 *
 * It checkpoints the WAL itself. SQLite's automatic checkpoint runs right after each commit, while
 * the server's readers that began before it still pin older frames, so under a steady stream of
 * session checks it never completes, the WAL never starts over, every read slows down, and the
 * server's next commit inherits the whole backlog (measured: a 104 MB WAL and a 527 ms stall for
 * 1M rows). After each batch and a short pause the readers are on the newest snapshot, a passive
 * checkpoint (which never waits for a lock) completes, and the next batch starts the WAL afresh.
 */
export async function prune(connection: Connection, options: PruneOptions): Promise<PruneCounts> {
  const { sqlite, db } = connection;
  await expireInvitations(connection, { all: true }, options.now);
  const limit = options.batchSize ?? PRUNE_BATCH_SIZE;
  const statements = pruneStatements(options, limit);
  const drain = async (statement: SQL): Promise<number> => {
    let total = 0;
    for (;;) {
      const removed = await withWriteLock(sqlite, () => db.run(statement).changes);
      total += removed;
      await new Promise((resolve) => setTimeout(resolve, PRUNE_PAUSE_MS));
      sqlite.pragma('wal_checkpoint(PASSIVE)');
      if (removed < limit) return total;
    }
  };
  const autoCheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true });
  sqlite.pragma('wal_autocheckpoint = 0');
  try {
    return {
      sessions: (await drain(statements.revokedSessions)) + (await drain(statements.expiredSessions)),
      challenges: await drain(statements.challenges),
      events: await drain(statements.events),
      invitations: await drain(statements.invitations),
    };
  } finally {
    sqlite.pragma(`wal_autocheckpoint = ${String(autoCheckpoint)}`);
  }
}
