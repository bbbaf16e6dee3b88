import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions } from '../db/schema';
import { iso } from '../ids';
import { recordSecurityEvent } from './events';
import type { Keyring } from './keys';

/**
 * Key versions as an operator sees them. Adding a key signs nobody out (sessions move to the
 * newest key at their next refresh); retiring one ends only the sessions still on it.
 */

export type KeyStatus = { kid: string; liveSessions: number; signing: boolean; configured: boolean };

const live = (now: Date) => and(isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now)));

/**
 * Every configured key version, newest first, with its live-session count; then any version no
 * longer configured that live sessions still name (their tokens no longer verify).
 */
export function keyStatus(db: Db, keyring: Keyring, now: Date): KeyStatus[] {
  const counts = new Map(
    db
      .select({ kid: sessions.kid, n: sql<number>`count(*)` })
      .from(sessions)
      .where(live(now))
      .groupBy(sessions.kid)
      .all()
      .map((row) => [row.kid, row.n] as const),
  );
  const configured = [...keyring.byKid.keys()].map((kid) => ({
    kid,
    liveSessions: counts.get(kid) ?? 0,
    signing: kid === keyring.current.kid,
    configured: true,
  }));
  const leftovers = [...counts]
    .filter(([kid]) => !keyring.byKid.has(kid))
    .map(([kid, liveSessions]) => ({ kid, liveSessions, signing: false, configured: false }));
  return [...configured, ...leftovers];
}

export function countLiveSessionsOnKey(db: Db, kid: string, now: Date): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(sessions)
    .where(and(eq(sessions.kid, kid), live(now)))
    .get();
  return row?.n ?? 0;
}

export type RetireResult = { ok: true; ended: number } | { ok: false; error: 'signing_key' };

export const RETIRE_BATCH_SIZE = 500;

/**
 * Ends every live session still on `kid` (reason `rotation`, one `key_retired` event each, so the
 * person's activity says why). Runs in small immediate transactions, yielding between them, so
 * the app keeps serving. The signing key is refused: retiring it would end sessions it just issued.
 */
export async function retireKey(db: Db, keyring: Keyring, kid: string, now: Date, batchSize = RETIRE_BATCH_SIZE): Promise<RetireResult> {
  if (kid === keyring.current.kid) return { ok: false, error: 'signing_key' };
  let ended = 0;
  for (;;) {
    const batch = db.transaction(
      (tx) => {
        const rows = tx
          .select({ id: sessions.id, userId: sessions.userId, orgId: sessions.orgId })
          .from(sessions)
          .where(and(eq(sessions.kid, kid), live(now)))
          .limit(batchSize)
          .all();
        if (rows.length === 0) return 0;
        tx.update(sessions)
          .set({ revokedAt: iso(now), revokedReason: 'rotation', revokedElsewhere: false })
          .where(inArray(sessions.id, rows.map((row) => row.id)))
          .run();
        for (const row of rows) {
          recordSecurityEvent(tx, { type: 'key_retired', userId: row.userId, orgId: row.orgId, sessionId: row.id, detail: kid }, now);
        }
        return rows.length;
      },
      { behavior: 'immediate' },
    );
    ended += batch;
    if (batch < batchSize) return { ok: true, ended };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
