// SQLite's write lock taken without blocking the event loop: BEGIN IMMEDIATE, retried after async pauses.
import Database from 'better-sqlite3';

/** How long a write keeps trying for the write lock before it gives up with StoreBusyError. */
export const BUSY_TIMEOUT_MS = 5000;
/** The first pause after SQLITE_BUSY; each later one doubles, up to the longest. */
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/** A write that could not get SQLite's write lock within BUSY_TIMEOUT_MS; nothing was written. */
export class StoreBusyError extends Error {
  constructor(waitedMs: number, options?: { cause?: unknown }) {
    super(`the database stayed locked by another connection for ${waitedMs} ms; nothing was written`, options);
    this.name = 'StoreBusyError';
  }
}

/**
 * Whether `error` is SQLite refusing a lock another connection holds: SQLITE_BUSY, or one of its
 * extended codes (SQLITE_BUSY_SNAPSHOT: a read snapshot went stale before it could write;
 * SQLITE_BUSY_RECOVERY: another connection is recovering the WAL). All of them pass when the other
 * connection is done, so all are worth another try. SQLITE_LOCKED is not among them: without a
 * shared cache it only arises inside this connection, where waiting would change nothing.
 */
export function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && (error.code === 'SQLITE_BUSY' || error.code.startsWith('SQLITE_BUSY_'));
}

/**
 * Runs `attempt` until it stops failing with SQLITE_BUSY, pausing asynchronously between tries
 * (2 ms doubling to 50 ms, with jitter so two waiting processes do not retry in step), for at most
 * `budgetMs` in all; then rejects with StoreBusyError. `attempt` must leave nothing behind when it
 * fails busy, which a transaction (rolled back) or a single statement (never started) both do.
 *
 * The connection's own busy_timeout is 0, so SQLite never sleeps inside a call: while this waits,
 * the event loop keeps serving reads, timers and other requests.
 */
export async function retryWhileBusy<T>(attempt: () => T, budgetMs: number = BUSY_TIMEOUT_MS): Promise<T> {
  const deadline = performance.now() + budgetMs;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const left = deadline - performance.now();
      if (left <= 0) throw new StoreBusyError(budgetMs, { cause: error });
      // Full pause at most, half at least: spread out, but never a busy spin.
      await sleep(Math.min(left, pause * (0.5 + Math.random() / 2)));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }
}

/**
 * Runs `fn` in one BEGIN IMMEDIATE transaction on `sqlite`, waiting asynchronously for the write
 * lock (see retryWhileBusy). IMMEDIATE takes the lock before the first read, so what `fn` reads
 * cannot change before it writes, and a deferred read-then-write can never fail half way with
 * SQLITE_BUSY_SNAPSHOT. `fn` is synchronous: no other code of this process runs inside it.
 */
export function withWriteLock<T>(sqlite: Database.Database, fn: () => T): Promise<T> {
  const transaction = sqlite.transaction(fn);
  return retryWhileBusy(() => transaction.immediate());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
