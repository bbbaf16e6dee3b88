// The connection pool: its timeouts, its error listener, and Drizzle over it for the cold paths.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { log } from '../../log';

export type PostgresOptions = {
  url: string;
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
};

/**
 * The pool and Drizzle over it. Hot paths (the session check, last-seen, the rotation UPDATE)
 * are plain named prepared statements on `pool`; the rest go through `db`, or through a
 * transaction's own client (see tx.ts).
 */
export type Pg = { pool: Pool; db: NodePgDatabase };

/** How long past statement_timeout the client waits before giving up on a silent server. */
const QUERY_TIMEOUT_MARGIN_MS = 1000;

/**
 * A pool whose every way of waiting is bounded: connecting (connectTimeoutMs), a statement on the
 * server (statement_timeout), a server that stops answering (query_timeout, a little longer, so
 * the server's own error wins when it can send one), and a transaction left open by a stalled
 * process (idle_in_transaction_session_timeout, so its row locks do not outlive it for long).
 */
function createPool(options: PostgresOptions): Pool {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 10_000),
    application_name: 'signet',
  });
  // An idle connection can die (server restart, network); pg emits that here, and an unheard
  // 'error' event would end the process. The pool replaces the connection on next use.
  pool.on('error', (error: Error & { code?: string }) => {
    log.error('postgres_pool_error', { error: error.message, code: error.code ?? null });
  });
  return pool;
}

export function openPg(options: PostgresOptions): Pg {
  const pool = createPool(options);
  return { pool, db: drizzle(pool) };
}

/** host:port/database of a connection URL, for error messages: never the credentials. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
}
