// Transactions: BEGIN … COMMIT on one pooled client, ROLLBACK on error, retried on serialization failures and deadlocks.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool, PoolClient } from 'pg';
import { log } from '../../log';

/** One transaction: its client for plain SQL, and Drizzle over that same client. */
export type Tx = { client: PoolClient; db: NodePgDatabase };

/** SQLSTATEs after which re-running the whole transaction is safe and likely to succeed. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 4;

/**
 * Runs `fn` in one READ COMMITTED transaction and commits what it returns. A serialization
 * failure or deadlock (the server already rolled it back) re-runs the whole of `fn` after a short
 * random pause, so `fn` must do nothing outside the database that cannot be repeated. Any other
 * error rolls back and is thrown. The client always goes back to the pool; one whose connection
 * is in doubt is destroyed rather than reused.
 */
export async function inTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runOnce(pool, fn);
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      log.warn('postgres_transaction_retried', { code: sqlState(error), attempt });
      await sleep(Math.floor(Math.random() * 10 * attempt) + 1);
    }
  }
}

async function runOnce<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no error listener of its own; a connection lost between two of
  // this transaction's statements would otherwise end the process. The next query rejects anyway.
  const onError = (error: Error): void => log.error('postgres_client_error', { error: error.message });
  client.on('error', onError);
  let destroy = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const result = await fn({ client, db: drizzle(client) });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    destroy = !isServerError(error);
    try {
      await client.query('ROLLBACK');
    } catch {
      destroy = true;
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(destroy);
  }
}

function sqlState(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
}

function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== null && RETRYABLE.has(code);
}

/**
 * Whether the server answered with an error (a SQLSTATE of five characters), so the connection is
 * in a known state. A client-side query timeout or a lost socket leaves it in doubt.
 */
function isServerError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== null && code.length === 5 && !code.startsWith('08');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
