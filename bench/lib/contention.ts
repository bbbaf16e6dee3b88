import type { BenchDb, EngineName } from './engine';

/**
 * What waited for, or failed on, a lock while a figure ran. SQLite: SQLITE_BUSY in the server's
 * log. PostgreSQL: transactions retried after a serialization failure (40001) or a deadlock
 * (40P01), as the server logs them; deadlocks as pg_stat_database counts them; and lock waits,
 * seen by asking pg_stat_activity every 10 ms who is waiting for a lock.
 */
export type Contention =
  | { engine: 'sqlite'; busyInLog: number }
  | { engine: 'pg'; serializationFailures: number; deadlockRetries: number; deadlocks: number; lockWaitSamples: number; samples: number; mostWaiting: number };

export function emptyContention(engine: EngineName): Contention {
  return engine === 'sqlite'
    ? { engine, busyInLog: 0 }
    : { engine, serializationFailures: 0, deadlockRetries: 0, deadlocks: 0, lockWaitSamples: 0, samples: 0, mostWaiting: 0 };
}

const SAMPLE_MS = 10;

/** Starts watching `db`; `stop(serverLog)` ends the watch and says what it saw. */
export function watchContention(db: BenchDb): { stop: (serverLog: string) => Promise<Contention> } {
  const count = (log: string, pattern: RegExp) => (log.match(pattern) ?? []).length;
  if (db.engine === 'sqlite') {
    return { stop: async (log) => ({ engine: 'sqlite', busyInLog: count(log, /SQLITE_BUSY|database is locked/g) }) };
  }
  const deadlocks = () => db.query<{ n: number }>('SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()').then((rows) => rows[0]?.n ?? 0);
  const before = deadlocks();
  let stopping = false;
  let samples = 0;
  let lockWaitSamples = 0;
  let mostWaiting = 0;
  const sampling = (async () => {
    while (!stopping) {
      const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
      samples += 1;
      if ((row?.n ?? 0) > 0) lockWaitSamples += 1;
      mostWaiting = Math.max(mostWaiting, row?.n ?? 0);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
  })();
  return {
    async stop(log) {
      stopping = true;
      await sampling;
      return {
        engine: 'pg',
        serializationFailures: count(log, /"event":"postgres_transaction_retried","[^\n]*"code":"40001"/g),
        deadlockRetries: count(log, /"event":"postgres_transaction_retried","[^\n]*"code":"40P01"/g),
        deadlocks: (await deadlocks()) - (await before),
        lockWaitSamples,
        samples,
        mostWaiting,
      };
    },
  };
}

export function describeContention(c: Contention): string {
  if (c.engine === 'sqlite') return `SQLITE_BUSY in server log ${c.busyInLog}`;
  return (
    `serialization failures (40001) retried ${c.serializationFailures}, deadlocks (40P01) retried ${c.deadlockRetries}, ` +
    `deadlocks counted by PostgreSQL ${c.deadlocks}, lock waits seen in ${c.lockWaitSamples} of ${c.samples} samples (most at once ${c.mostWaiting})`
  );
}
