import type { RunResult, Statement } from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { sqliteOf, type Db } from '../db';
import { revokeReasons, sessions, type RevokeReason } from '../db/schema';
import type { EndedNotice } from './check';
import { iso } from '../ids';
import type { IssuedTokens } from './cookies';
import { recordSecurityEvent } from './events';
import { issueTokens } from './issue';
import type { Keyring } from './keys';
import { verifyTokenNow } from './tokens';

export type RefreshPolicy = { accessTtlSeconds: number; graceSeconds: number };

export type RefreshResult =
  | { ok: true; tokens: IssuedTokens; sessionId: string; rotated: boolean }
  | { ok: false; error: 'invalid' | 'expired' }
  | { ok: false; error: 'revoked'; notice: EndedNotice; sessionId: string };

// Every fetch client and every expired page navigation comes through here, so its two statements
// are plain SQL prepared once per connection (as the session lookup is): the query builder would
// rebuild them on every call, and Drizzle's own prepared statements add per-row mapping that costs
// more than the SQLite work on a busy server. They run inside the transaction below, which belongs
// to the same connection.
type RefreshRow = {
  userId: string;
  orgId: string;
  generation: number;
  rotatedAt: string;
  refreshExpiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  revokedElsewhere: number;
  persistent: number;
  orgName: string;
};
type Rotation = { id: string; userId: string; generation: number; next: number; now: string; accessExpiresAt: string; kid: string };
type RefreshStatements = {
  read: Statement<[string], RefreshRow>;
  rotate: Statement<[Rotation], RunResult>;
  rotateCurrent: Statement<[Rotation], { persistent: number }>;
};

const READ_SQL = `
  SELECT s.user_id AS userId, s.org_id AS orgId, s.refresh_generation AS generation, s.refresh_rotated_at AS rotatedAt,
         s.refresh_expires_at AS refreshExpiresAt, s.revoked_at AS revokedAt, s.revoked_reason AS revokedReason,
         s.revoked_elsewhere AS revokedElsewhere, s.persistent AS persistent, o.name AS orgName
    FROM sessions s JOIN orgs o ON o.id = s.org_id
   WHERE s.id = ?`;
const ROTATE_SET = `
  UPDATE sessions
     SET refresh_generation = @next, refresh_rotated_at = @now, access_expires_at = @accessExpiresAt,
         kid = @kid, last_seen_at = @now
   WHERE id = @id`;
// The usual case as one conditional UPDATE: the session exists, is the token's user's, is live, and
// is at the token's generation. A single write statement takes SQLite's write lock before it reads
// (like BEGIN IMMEDIATE), so it is atomic on its own and needs no explicit transaction.
const ROTATE_CURRENT_SQL = `${ROTATE_SET}
     AND user_id = @userId AND refresh_generation = @generation AND revoked_at IS NULL AND refresh_expires_at > @now
  RETURNING persistent`;

const prepared = new WeakMap<Db, RefreshStatements>();

function refreshStatements(db: Db): RefreshStatements {
  let statements = prepared.get(db);
  if (!statements) {
    const sqlite = sqliteOf(db);
    statements = {
      read: sqlite.prepare<[string], RefreshRow>(READ_SQL),
      rotate: sqlite.prepare<[Rotation], RunResult>(ROTATE_SET),
      rotateCurrent: sqlite.prepare<[Rotation], { persistent: number }>(ROTATE_CURRENT_SQL),
    };
    prepared.set(db, statements);
  }
  return statements;
}

const REASONS: ReadonlySet<string> = new Set(revokeReasons);

function isRevokeReason(value: string | null): value is RevokeReason {
  return value !== null && REASONS.has(value);
}

type Outcome = { kind: 'rotated' | 'grace'; persistent: boolean } | Exclude<RefreshResult, { ok: true }>;

/**
 * Rotates a refresh token (RFC 9700 §4.14.2). The token must carry the session's current
 * generation, which moves on by one. The immediately previous generation is still honoured for
 * `graceSeconds` after the rotation and receives the current generation's tokens, so two tabs
 * refreshing together both stay signed in. Anything older is a replay: the session is revoked
 * (`reuse_detected`), which also kills its current tokens. The absolute end never moves.
 */
export async function rotateRefreshToken(db: Db, keyring: Keyring, token: string | undefined, policy: RefreshPolicy, now: Date): Promise<RefreshResult> {
  // Signature first: a forged token naming a victim's jti must not reach the reuse logic.
  const claims = verifyTokenNow(keyring, 'refresh', token, now);
  if (!claims) return { ok: false, error: 'invalid' };

  const refreshExpiresAt = new Date(claims.exp * 1000);
  const rotation: Rotation = {
    id: claims.jti,
    userId: claims.sub,
    generation: claims.gen,
    next: claims.gen + 1,
    now: iso(now),
    accessExpiresAt: iso(new Date(Math.min(now.getTime() + policy.accessTtlSeconds * 1000, refreshExpiresAt.getTime()))),
    kid: keyring.current.kid, // the session moves to the newest key as it refreshes
  };
  const statements = refreshStatements(db);
  // all(), not get(): SQLite runs its automatic checkpoint only when a statement steps to the
  // end, and a RETURNING statement read for one row and then reset never does.
  const [rotated] = statements.rotateCurrent.all(rotation);
  const outcome: Outcome = rotated ? { kind: 'rotated', persistent: rotated.persistent === 1 } : classifyUnderLock(db, statements, rotation, policy, now);
  if ('ok' in outcome) return outcome;

  // The pair is for generation claims.gen + 1, the current one in both success cases. It is signed
  // after the database work, so the write lock covers only that.
  const subject = { sessionId: claims.jti, userId: claims.sub, generation: claims.gen + 1, refreshExpiresAt, persistent: outcome.persistent };
  const tokens = await issueTokens(keyring, subject, policy.accessTtlSeconds, now);
  return { ok: true, tokens, sessionId: claims.jti, rotated: outcome.kind === 'rotated' };
}

/**
 * Everything the conditional UPDATE did not match (an unknown or ended session, or another
 * generation: the grace window or a replay), read and decided under BEGIN IMMEDIATE.
 */
function classifyUnderLock(db: Db, statements: RefreshStatements, rotation: Rotation, policy: RefreshPolicy, now: Date): Outcome {
  return db.transaction(
    (tx): Outcome => {
      const row = statements.read.get(rotation.id);
      if (!row || row.userId !== rotation.userId) return { ok: false, error: 'invalid' };
      if (row.revokedAt) {
        const reason = isRevokeReason(row.revokedReason) ? row.revokedReason : 'sign_out';
        const notice = { reason, at: row.revokedAt, elsewhere: row.revokedElsewhere === 1, orgName: row.orgName };
        return { ok: false, error: 'revoked', notice, sessionId: rotation.id };
      }
      if (row.refreshExpiresAt <= rotation.now) return { ok: false, error: 'expired' };
      if (row.generation === rotation.generation) {
        statements.rotate.run(rotation);
        return { kind: 'rotated', persistent: row.persistent === 1 };
      }
      const withinGrace = Date.parse(row.rotatedAt) + policy.graceSeconds * 1000 >= now.getTime();
      if (row.generation === rotation.next && withinGrace) return { kind: 'grace', persistent: row.persistent === 1 };
      tx.update(sessions).set({ revokedAt: rotation.now, revokedReason: 'reuse_detected' }).where(eq(sessions.id, rotation.id)).run();
      recordSecurityEvent(tx, { type: 'refresh_reuse_detected', userId: row.userId, orgId: row.orgId, sessionId: rotation.id }, now);
      const notice = { reason: 'reuse_detected' as const, at: rotation.now, elsewhere: false, orgName: row.orgName };
      return { ok: false, error: 'revoked', notice, sessionId: rotation.id };
    },
    { behavior: 'immediate' },
  );
}
