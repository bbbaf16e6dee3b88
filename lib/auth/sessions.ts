import Database, { type RunResult, type Statement } from 'better-sqlite3';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { BUSY_TIMEOUT_MS, sqliteOf, type Db } from '../db';
import { revokeReasons, roles, sessions, type DeviceType, type RevokeReason, type Role } from '../db/schema';
import { BoundedMap } from '../bounded-map';
import { addSeconds, iso, randomId } from '../ids';

/** Session rows: create, look up, revoke. Knows the database, nothing about HTTP or tokens. */

export type NewSession = {
  userId: string;
  orgId: string;
  kid: string;
  deviceFingerprint: string;
  deviceLabel: string | null;
  deviceType: DeviceType;
  persistent: boolean;
  accessTtlSeconds: number;
  lifetimeSeconds: number;
};

export type CreatedSession = { id: string; accessExpiresAt: Date; refreshExpiresAt: Date; persistent: boolean };

/** Inserts a new session with a fresh 144-bit id; its absolute lifetime is fixed here, for good. */
export function insertSession(db: Db, input: NewSession, now: Date): CreatedSession {
  const id = randomId();
  const refreshExpiresAt = addSeconds(now, input.lifetimeSeconds);
  const accessExpiresAt = new Date(Math.min(addSeconds(now, input.accessTtlSeconds).getTime(), refreshExpiresAt.getTime()));
  db.insert(sessions)
    .values({
      id,
      userId: input.userId,
      orgId: input.orgId,
      kid: input.kid,
      deviceFingerprint: input.deviceFingerprint,
      deviceLabel: input.deviceLabel,
      deviceType: input.deviceType,
      accessExpiresAt: iso(accessExpiresAt),
      refreshExpiresAt: iso(refreshExpiresAt),
      createdAt: iso(now),
      refreshGeneration: 0,
      refreshRotatedAt: iso(now),
      lastSeenAt: iso(now),
      persistent: input.persistent,
    })
    .run();
  return { id, accessExpiresAt, refreshExpiresAt, persistent: input.persistent };
}

export type SessionContext = {
  sessionId: string;
  userId: string;
  email: string;
  orgId: string;
  orgName: string;
  role: Role | null; // null: the user is no longer a member of the session's org
  deviceLabel: string | null;
  createdAt: string;
  refreshExpiresAt: string;
  revokedAt: string | null;
  revokedReason: RevokeReason | null;
  revokedElsewhere: boolean;
  lastSeenAt: string;
  persistent: boolean;
};

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
type HotPath = {
  sqlite: Database.Database;
  lookup: Statement<[string], SessionRowOut>;
  dataVersion: Statement<[], number>;
  totalChanges: Statement<[], number>;
  stamp: { dataVersion: number; totalChanges: number };
  rows: BoundedMap<string, SessionContext>;
};
export const REMEMBERED_ROWS = 20_000;
const hotPaths = new WeakMap<Db, HotPath>();

function hotPathOf(db: Db): HotPath {
  let hot = hotPaths.get(db);
  if (hot === undefined) {
    const sqlite = sqliteOf(db);
    hot = {
      sqlite,
      lookup: sqlite.prepare<[string], SessionRowOut>(LOOKUP_SQL),
      dataVersion: sqlite.prepare<[], number>('PRAGMA data_version').pluck(),
      totalChanges: sqlite.prepare<[], number>('SELECT total_changes()').pluck(),
      stamp: { dataVersion: -1, totalChanges: -1 },
      rows: new BoundedMap(REMEMBERED_ROWS),
    };
    hotPaths.set(db, hot);
  }
  return hot;
}

/**
 * The session `sessionId` with its user, org and membership: the hot path of every request. One
 * primary-key probe on a statement prepared once per connection, or the row already read when
 * nothing has been committed since (see HotPath).
 */
export function findSessionContext(db: Db, sessionId: string): SessionContext | null {
  const hot = hotPathOf(db);
  // Inside a transaction a read can see this connection's uncommitted writes: never remember those.
  if (hot.sqlite.inTransaction) return readSessionContext(hot, sessionId);
  const dataVersion = hot.dataVersion.get() as number;
  const totalChanges = hot.totalChanges.get() as number;
  if (dataVersion !== hot.stamp.dataVersion || totalChanges !== hot.stamp.totalChanges) {
    hot.rows.clear();
    hot.stamp = { dataVersion, totalChanges };
  }
  const remembered = hot.rows.get(sessionId);
  if (remembered !== undefined) return remembered;
  const session = readSessionContext(hot, sessionId);
  if (session !== null) hot.rows.set(sessionId, session);
  return session;
}

/** Forgets every remembered row of `db` (benchmarks time a row's first reading with it). */
export function forgetSessionRows(db: Db): void {
  hotPaths.get(db)?.rows.clear();
}

/** How many rows `db` remembers (tests: the memory stays bounded). */
export function rememberedRowCount(db: Db): number {
  return hotPaths.get(db)?.rows.size ?? 0;
}

function readSessionContext(hot: HotPath, sessionId: string): SessionContext | null {
  const row = hot.lookup.get(sessionId);
  if (!row) return null;
  return Object.freeze({
    ...row,
    role: isRole(row.role) ? row.role : null,
    revokedReason: isRevokeReason(row.revokedReason) ? row.revokedReason : null,
    revokedElsewhere: row.revokedElsewhere === 1,
    persistent: row.persistent === 1,
  });
}

function isRole(value: string | null): value is Role {
  return value !== null && ROLES.has(value);
}

function isRevokeReason(value: string | null): value is RevokeReason {
  return value !== null && REASONS.has(value);
}

const TOUCH_SQL = 'UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?';
const touches = new WeakMap<Db, Statement<[string, string, string], RunResult>>();

/**
 * Writes last-seen when the stored value is older than `intervalSeconds` (one write per interval),
 * without waiting for the write lock. better-sqlite3 waits synchronously, so a request queued here
 * behind another process's write (a prune batch, a migration) would stall every request on this
 * server; last-seen is a courtesy, so a busy database skips it and a later request writes it.
 */
export function touchSession(db: Db, sessionId: string, lastSeenAt: string, intervalSeconds: number, now: Date): 'written' | 'not_due' | 'busy' {
  if (Date.parse(lastSeenAt) > now.getTime() - intervalSeconds * 1000) return 'not_due';
  const sqlite = sqliteOf(db);
  let touch = touches.get(db);
  if (touch === undefined) {
    touch = sqlite.prepare<[string, string, string], RunResult>(TOUCH_SQL);
    touches.set(db, touch);
  }
  sqlite.pragma('busy_timeout = 0');
  try {
    touch.run(iso(now), sessionId, iso(addSeconds(now, -intervalSeconds)));
    return 'written';
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY') return 'busy';
    throw error;
  } finally {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

export type RevokedSession = { orgId: string; deviceLabel: string | null };

/**
 * Ends one of `userId`'s live sessions. Scoped in SQL by owner, so another user's id matches
 * nothing; returns the ended row's org and label for the security log, or null when nothing
 * matched (callers answer the same either way).
 */
export function revokeSession(
  db: Db,
  scope: { userId: string; sessionId: string },
  reason: RevokeReason,
  now: Date,
  options: { elsewhere?: boolean } = {},
): RevokedSession | null {
  // all(), not get(): SQLite runs its automatic WAL checkpoint only when a statement steps to
  // the end, and a RETURNING statement read for one row and then reset never does.
  const [ended] = db
    .update(sessions)
    .set({ revokedAt: iso(now), revokedReason: reason, revokedElsewhere: options.elsewhere ?? false })
    .where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId), isNull(sessions.revokedAt)))
    .returning({ orgId: sessions.orgId, deviceLabel: sessions.deviceLabel })
    .all();
  return ended ?? null;
}

/** Ends every live session of `userId` except `keepSessionId`; returns how many ended. */
export function revokeOtherSessions(db: Db, userId: string, keepSessionId: string, now: Date): number {
  const result = db
    .update(sessions)
    .set({ revokedAt: iso(now), revokedReason: 'sign_out', revokedElsewhere: true })
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId), isNull(sessions.revokedAt), sql`${sessions.refreshExpiresAt} > ${iso(now)}`))
    .run();
  return result.changes;
}
