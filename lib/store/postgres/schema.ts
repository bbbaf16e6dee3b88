// The PostgreSQL schema: the same tables, columns and indexes as lib/store/sqlite/schema.ts, in PG types.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { deviceTypes, revokeReasons, roles, securityEventTypes } from '../model';

/**
 * Timestamps stay ISO 8601 UTC text, as in SQLite and the seed migration: every instant is
 * written in one fixed-width format, so text comparison orders them and both engines share every
 * query's meaning. Nothing here may hold an IP address, a raw User-Agent string or a token.
 *
 * `sessions` is updated in place on every refresh and last-seen write; its fillfactor (80, so
 * those updates can stay on the page as HOT updates) is set by the custom migration
 * drizzle-pg/0001_sessions_fillfactor.sql, because drizzle-kit has no table storage parameters.
 */

export const orgs = pgTable('orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: text('created_at').notNull(),
});

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  // Always stored lower-cased (see normalizeEmail); the unique index is the sign-up race guard.
  email: text('email').notNull().unique(),
  createdAt: text('created_at').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    userId: text('user_id').notNull().references(() => users.id),
    orgId: text('org_id').notNull().references(() => orgs.id),
    role: text('role', { enum: roles }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.orgId] }),
    index('memberships_org_idx').on(t.orgId),
    check('memberships_role_check', sql`${t.role} IN ('owner', 'admin', 'member')`),
  ],
);

/** One row per signed-in device; the id is the `jti` shared by the access and refresh JWTs. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    orgId: text('org_id').notNull().references(() => orgs.id),
    kid: text('kid').notNull(), // key version that signed the current tokens
    deviceFingerprint: text('device_fingerprint').notNull(), // SHA-256(User-Agent), never the UA
    deviceLabel: text('device_label'),
    deviceType: text('device_type', { enum: deviceTypes }),
    accessExpiresAt: text('access_expires_at').notNull(),
    // The session's absolute end, fixed at creation; refresh never moves it.
    refreshExpiresAt: text('refresh_expires_at').notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
    revokedReason: text('revoked_reason', { enum: revokeReasons }),
    refreshGeneration: integer('refresh_generation').notNull().default(0),
    refreshRotatedAt: text('refresh_rotated_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    persistent: boolean('persistent').notNull(),
    revokedElsewhere: boolean('revoked_elsewhere').notNull().default(false),
    // Extension: the label, as it was then, of the person's own device that ended this session,
    // so the ended device can be told "signed out from Work laptop".
    revokedFromLabel: text('revoked_from_label'),
    // Extension: SHA-256 of the single-use "Not you?" token mailed with a new-device alert (L11).
    // Only a hash is kept, and every revocation clears it: the link dies with its session.
    alertTokenHash: text('alert_token_hash'),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_org_idx').on(t.orgId),
    index('sessions_active_idx').on(t.refreshExpiresAt).where(sql`revoked_at IS NULL`),
    // Lets housekeeping find long-revoked rows without a table scan.
    index('sessions_revoked_idx').on(t.revokedAt).where(sql`revoked_at IS NOT NULL`),
    // Extension: finds the session of a "Not you?" link; partial, since few sessions have one.
    uniqueIndex('sessions_alert_token_idx').on(t.alertTokenHash).where(sql`alert_token_hash IS NOT NULL`),
  ],
);

/** One emailed sign-in code. Only an HMAC of the code is kept. */
export const signInChallenges = pgTable(
  'sign_in_challenges',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(), // lower-cased; the user may not exist yet (sign-up)
    codeHmac: text('code_hmac').notNull(),
    kid: text('kid').notNull(),
    expiresAt: text('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    consumedAt: text('consumed_at'), // set on success only; a resend expires the older code instead
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('sign_in_challenges_email_idx').on(t.email, t.createdAt),
    index('sign_in_challenges_expires_idx').on(t.expiresAt),
  ],
);

/** Security activity. No IPs, no user agents, no tokens: only ids, a type and a short detail. */
export const securityEvents = pgTable(
  'security_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    type: text('type', { enum: securityEventTypes }).notNull(),
    userId: text('user_id'),
    orgId: text('org_id'),
    sessionId: text('session_id'),
    actorUserId: text('actor_user_id'),
    detail: text('detail'), // e.g. the device label; never a secret
    // Extension: the label of the device the event is about, as it was then (history is not rewritten).
    deviceLabel: text('device_label'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('security_events_user_idx').on(t.userId, t.createdAt),
    index('security_events_org_idx').on(t.orgId, t.createdAt),
    index('security_events_created_idx').on(t.createdAt),
  ],
);
