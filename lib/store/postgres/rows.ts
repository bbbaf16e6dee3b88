// Shared pieces: PG counts and collation, the security-log insert, the per-address lock.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { eventRows, type SecurityEvent } from '../events';
import { securityEvents } from './schema';
import type { Tx } from './tx';

/** A count from PostgreSQL: int4 arrives as a number, bigint (count(*), sum) as a string. */
export function asCount(value: number | string | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/**
 * A text column ordered byte by byte, as SQLite orders it, whatever the database's collation
 * (en_US.UTF-8 would put 'B' after 'a' and ignore dots). For user-visible orders and tie-breaks;
 * timestamps need none: their fixed ISO format sorts alike under every collation.
 */
export function bytewise(column: AnyColumn): SQL {
  return sql`${column} COLLATE "C"`;
}

/** Appends to the security log in the caller's transaction, all rows in one statement. */
export async function recordEvents(tx: Tx, events: SecurityEvent[], now: Date): Promise<void> {
  if (events.length === 0) return;
  await tx.db.insert(securityEvents).values(eventRows(events, now));
}

/**
 * Serialises everything that counts, then writes, for one address (codes sent, wrong codes, the
 * user's creation) until the transaction ends. Under READ COMMITTED a count followed by an insert
 * is not atomic, so 20 requests at once would all see 4 sends; behind this lock they queue.
 * It is always taken before any sign_in_challenges row lock, so the two cannot deadlock.
 */
export async function lockAddress(tx: Tx, email: string): Promise<void> {
  await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended('signet:challenge:' || ${email}::text, 0))`);
}
