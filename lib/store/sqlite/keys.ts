// Key versions as an operator sees them: how many live sessions each signing key still has.
import { sql } from 'drizzle-orm';
import { liveAt } from './access';
import type { Db } from './connection';
import { sessions } from './schema';

/** Live sessions per key version (kid); a kid with none is absent. */
export function liveSessionsByKid(db: Db, now: Date): Map<string, number> {
  const rows = db
    .select({ kid: sessions.kid, count: sql<number>`count(*)` })
    .from(sessions)
    .where(liveAt(now))
    .groupBy(sessions.kid)
    .all();
  return new Map(rows.map((row) => [row.kid, row.count]));
}
