// The per-request session check: one prepared lookup, and the last-seen write.
import { and, eq, lt, sql } from 'drizzle-orm';
import { asRevokeReason, asRole } from '../model';
import { addSeconds, iso } from '../../ids';
import type { SessionContext } from '../types';
import type { Db } from './connection';
import { isBusy } from './lock';
import { memberships, orgs, sessions, users } from './schema';

/** The lookup: one primary-key probe with its user, org and membership. */
function lookupQuery(db: Db) {
  return db
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      email: users.email,
      orgId: sessions.orgId,
      orgName: orgs.name,
      role: memberships.role,
      deviceLabel: sessions.deviceLabel,
      createdAt: sessions.createdAt,
      refreshExpiresAt: sessions.refreshExpiresAt,
      revokedAt: sessions.revokedAt,
      revokedReason: sessions.revokedReason,
      revokedElsewhere: sessions.revokedElsewhere,
      revokedFrom: sessions.revokedFromLabel,
      lastSeenAt: sessions.lastSeenAt,
      persistent: sessions.persistent,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgs, eq(orgs.id, sessions.orgId))
    .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare();
}

function touchQuery(db: Db) {
  return db
    .update(sessions)
    .set({ lastSeenAt: sql`${sql.placeholder('now')}` })
    .where(and(eq(sessions.id, sql.placeholder('id')), lt(sessions.lastSeenAt, sql.placeholder('due'))))
    .prepare();
}

/**
 * The session check's two statements, prepared once per connection. Every request reads its
 * session's row: nothing is remembered between requests, so a revocation committed by any
 * connection or process is seen by the very next one. (A row cache that lived until the next
 * commit was tried and measured: under realistic traffic something commits every ~20 ms and it
 * answered 0 % of lookups, while costing every one of them. bench/RESULTS.md, figure 8.)
 */
export class SessionCheck {
  private readonly lookup: ReturnType<typeof lookupQuery>;
  private readonly touch: ReturnType<typeof touchQuery>;

  constructor(db: Db) {
    this.lookup = lookupQuery(db);
    this.touch = touchQuery(db);
  }

  /** The session with its user, org and membership, or null. */
  find(sessionId: string): SessionContext | null {
    const row = this.lookup.get({ id: sessionId });
    if (!row) return null;
    return { ...row, role: asRole(row.role), revokedReason: asRevokeReason(row.revokedReason) };
  }

  /**
   * Writes last-seen when the stored value is older than the interval, in one attempt. Last-seen
   * is a courtesy: waiting for the lock (even asynchronously) would hold a request for it, so a
   * busy database skips the write and a later request makes it.
   */
  touchLastSeen(sessionId: string, now: Date, intervalSeconds: number): 'written' | 'not_due' | 'busy' {
    try {
      const { changes } = this.touch.run({ id: sessionId, now: iso(now), due: iso(addSeconds(now, -intervalSeconds)) });
      return changes > 0 ? 'written' : 'not_due';
    } catch (error) {
      if (isBusy(error)) return 'busy';
      throw error;
    }
  }
}
