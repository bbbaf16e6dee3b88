// The SQLite engine's housekeeping underneath: its own WAL checkpoints between batches, and index-only deletes.
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getStore } from '@/lib/store';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { PRUNE_BATCH_SIZE, pruneStatements, SqliteStore } from './index';

const DAY = 86_400;
const NOW = new Date('2031-06-01T12:00:00.000Z');
const RETENTION = { now: NOW, retentionDays: 90 };

/** The process's store, which these tests look underneath. */
async function sqliteStore(): Promise<SqliteStore> {
  const store = await getStore();
  if (!(store instanceof SqliteStore)) throw new Error(`expected the SQLite store, got ${store.engine}`);
  return store;
}

describe('sqlite prune', () => {
  it('checkpoints after every batch itself, and leaves the connection’s automatic checkpoint as it was', async () => {
    const store = await sqliteStore();
    const { sqlite } = store.connection;
    const before = sqlite.pragma('wal_autocheckpoint', { simple: true });
    await signIn(uniqueEmail('wal-1'), at(NOW, -130 * DAY));
    await signIn(uniqueEmail('wal-2'), at(NOW, -130 * DAY));
    const spy = vi.spyOn(sqlite, 'pragma'); // records the calls, still runs them
    try {
      const counts = await store.prune({ ...RETENTION, batchSize: 1 });
      const pragmas = spy.mock.calls.map(([source]) => source);
      expect(counts).toEqual({ sessions: 2, challenges: 2, events: 2, invitations: 0 });
      // Every batch is followed by a checkpoint: here one batch per row, plus each of the five
      // steps' last, short batch (revoked sessions, expired sessions, challenges, events, invitations).
      const batches = counts.sessions + counts.challenges + counts.events + counts.invitations + 5;
      expect(pragmas.filter((pragma) => pragma === 'wal_checkpoint(PASSIVE)')).toHaveLength(batches);
      expect(pragmas.filter((pragma) => pragma.startsWith('wal_autocheckpoint ='))).toEqual(['wal_autocheckpoint = 0', `wal_autocheckpoint = ${String(before)}`]);
    } finally {
      spy.mockRestore();
    }
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it.each([
    ['revokedSessions', 'sessions_revoked_idx'],
    ['expiredSessions', 'sessions_active_idx'],
    ['challenges', 'sign_in_challenges_expires_idx'],
    ['events', 'security_events_created_idx'],
    ['invitations', 'org_invitations_resolved_idx'],
  ] as const)('%s finds its rows through %s, never a table scan', async (step, index) => {
    const { db } = (await sqliteStore()).connection;
    const plan = db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${pruneStatements(RETENTION, PRUNE_BATCH_SIZE)[step]}`).map((row) => row.detail);
    expect(plan.some((detail) => detail.includes(`USING INDEX ${index}`) || detail.includes(`USING COVERING INDEX ${index}`))).toBe(true);
    expect(plan.filter((detail) => detail.startsWith('SCAN '))).toEqual([]);
  });
});
