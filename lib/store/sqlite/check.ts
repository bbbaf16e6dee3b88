// The per-request session check: one prepared lookup, its remembered rows, and the last-seen write.
import type Database from 'better-sqlite3';
import type { RunResult, Statement } from 'better-sqlite3';
import { BoundedMap } from '../../bounded-map';
import { addSeconds, iso } from '../../ids';
import { revokeReasons, roles, type RevokeReason, type Role } from '../model';
import type { SessionContext } from '../types';
import { isBusy } from './lock';

/** The lookup's row, as SQLite returns it: booleans are 0/1 and enums plain text. */
type SessionRowOut = Omit<SessionContext, 'role' | 'revokedReason' | 'revokedElsewhere' | 'persistent'> & {
  role: string | null;
  revokedReason: string | null;
  revokedElsewhere: number;
  persistent: number;
};

// One primary-key probe with its user, org and membership. Plain SQL on a better-sqlite3 statement
// prepared once per connection: Drizzle's prepared query adds its own per-row mapping on top, which
// on a busy server cost ~90 µs a request, three times the SQLite work itself (bench/RESULTS.md).
const LOOKUP_SQL = `
  SELECT s.id AS sessionId, s.user_id AS userId, u.email AS email, s.org_id AS orgId, o.name AS orgName,
         m.role AS role, s.device_label AS deviceLabel, s.created_at AS createdAt,
         s.refresh_expires_at AS refreshExpiresAt, s.revoked_at AS revokedAt, s.revoked_reason AS revokedReason,
         s.revoked_elsewhere AS revokedElsewhere, s.last_seen_at AS lastSeenAt, s.persistent AS persistent
    FROM sessions s
    JOIN users u ON u.id = s.user_id
    JOIN orgs o ON o.id = s.org_id
    LEFT JOIN memberships m ON m.user_id = s.user_id AND m.org_id = s.org_id
   WHERE s.id = ?`;
const TOUCH_SQL = 'UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?';

/** The most lookup rows one connection remembers. */
export const REMEMBERED_ROWS = 20_000;

const ROLES: ReadonlySet<string> = new Set(roles);
const REASONS: ReadonlySet<string> = new Set(revokeReasons);

/**
 * The lookup's rows, remembered until anything is committed to the database. SQLite says so
 * cheaply: `PRAGMA data_version` changes when another connection (another process included)
 * commits, and `total_changes()` counts this connection's own writes. Both are read before a row
 * is, so a remembered row is never older than the database as of those two numbers; the moment
 * either moves (a sign-out, an admin ending a session, a membership removed, a last-seen write),
 * every remembered row is dropped and read again. Revocation stays immediate: nothing is served
 * once a commit has happened since it was read. The clock-dependent checks (absolute end, token
 * times) are made on every request by the caller.
 */
export class SessionCheck {
  private readonly lookup: Statement<[string], SessionRowOut>;
  private readonly dataVersion: Statement<[], number>;
  private readonly totalChanges: Statement<[], number>;
  private readonly touch: Statement<[string, string, string], RunResult>;
  private stamp = { dataVersion: -1, totalChanges: -1 };
  private readonly rows = new BoundedMap<string, SessionContext>(REMEMBERED_ROWS);
  /** Lookups, and those answered from memory (the benchmark's realistic mix reports the hit rate). */
  readonly counters = { lookups: 0, hits: 0 };

  constructor(private readonly sqlite: Database.Database) {
    this.lookup = sqlite.prepare<[string], SessionRowOut>(LOOKUP_SQL);
    this.dataVersion = sqlite.prepare<[], number>('PRAGMA data_version').pluck();
    this.totalChanges = sqlite.prepare<[], number>('SELECT total_changes()').pluck();
    this.touch = sqlite.prepare<[string, string, string], RunResult>(TOUCH_SQL);
  }

  /** The session with its user, org and membership: a remembered row, or one primary-key probe. */
  find(sessionId: string): SessionContext | null {
    // Inside a transaction a read can see this connection's uncommitted writes: never remember those.
    if (this.sqlite.inTransaction) return this.read(sessionId);
    const dataVersion = this.dataVersion.get() as number;
    const totalChanges = this.totalChanges.get() as number;
    if (dataVersion !== this.stamp.dataVersion || totalChanges !== this.stamp.totalChanges) {
      this.rows.clear();
      this.stamp = { dataVersion, totalChanges };
    }
    this.counters.lookups += 1;
    const remembered = this.rows.get(sessionId);
    if (remembered !== undefined) {
      this.counters.hits += 1;
      return remembered;
    }
    const session = this.read(sessionId);
    if (session !== null) this.rows.set(sessionId, session);
    return session;
  }

  /**
   * Writes last-seen when the stored value is older than the interval, in one attempt. Last-seen
   * is a courtesy: waiting for the lock (even asynchronously) would hold a request for it, so a
   * busy database skips the write and a later request makes it.
   */
  touchLastSeen(sessionId: string, now: Date, intervalSeconds: number): 'written' | 'not_due' | 'busy' {
    try {
      const { changes } = this.touch.run(iso(now), sessionId, iso(addSeconds(now, -intervalSeconds)));
      return changes > 0 ? 'written' : 'not_due';
    } catch (error) {
      if (isBusy(error)) return 'busy';
      throw error;
    }
  }

  /** Forgets every remembered row (benchmarks time a row's first reading with it). */
  forget(): void {
    this.rows.clear();
  }

  /** How many rows are remembered (tests: the memory stays bounded). */
  get rememberedCount(): number {
    return this.rows.size;
  }

  private read(sessionId: string): SessionContext | null {
    const row = this.lookup.get(sessionId);
    if (!row) return null;
    return Object.freeze({
      ...row,
      role: isRole(row.role) ? row.role : null,
      revokedReason: isRevokeReason(row.revokedReason) ? row.revokedReason : null,
      revokedElsewhere: row.revokedElsewhere === 1,
      persistent: row.persistent === 1,
    });
  }
}

function isRole(value: string | null): value is Role {
  return value !== null && ROLES.has(value);
}

/** Whether a stored revoked_reason is one this version knows. */
export function isRevokeReason(value: string | null): value is RevokeReason {
  return value !== null && REASONS.has(value);
}
