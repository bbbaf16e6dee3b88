// The PostgreSQL schema: the same tables, columns and indexes as lib/store/sqlite/schema.ts, in PG types.
import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { deviceTypes, invitationStatuses, revokeReasons, roles, securityEventTypes } from '../model';

/**
 * Timestamps stay ISO 8601 UTC text, as in SQLite and the seed migration: every instant is
 * written in one fixed-width format, so text comparison orders them and both engines share every
 * query's meaning. Nothing here may hold an IP address, a raw User-Agent string or a token.
 *
 * `sessions` is updated in place on every refresh and last-seen write; its fillfactor (80, so
 * those updates can stay on the page as HOT updates) is set by the custom migration
 * drizzle-pg/0001_sessions_fillfactor.sql, because drizzle-kit has no table storage parameters.
 */

export const orgs = pgTable(
  'orgs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
    // Whose personal org this is (null: an org people are invited to); one per person.
    personalUserId: text('personal_user_id').references(() => users.id),
    // When an owner deleted the org; the row stays so its ended sessions and events can name it.
    deletedAt: text('deleted_at'),
  },
  (t) => [uniqueIndex('orgs_personal_user_idx').on(t.personalUserId)],
);

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

/** An invitation waiting for the invited person's answer (L10); only the token's SHA-256 is kept. */
export const orgInvitations = pgTable(
  'org_invitations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => orgs.id),
    email: text('email').notNull(), // lower-cased; the address may have no account yet
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').notNull().references(() => users.id),
    status: text('status', { enum: invitationStatuses }).notNull(),
    mailed: boolean('mailed').notNull(), // past the per-address cap: saved, not sent
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    resolvedAt: text('resolved_at'),
  },
  (t) => [
    uniqueIndex('org_invitations_token_idx').on(t.tokenHash),
    // One pending invitation per address and org: the race guard for two admins inviting at once.
    uniqueIndex('org_invitations_pending_idx').on(t.orgId, t.email).where(sql`status = 'pending'`),
    index('org_invitations_org_idx').on(t.orgId, t.createdAt),
    index('org_invitations_email_idx').on(t.email, t.createdAt),
    index('org_invitations_expiry_idx').on(t.expiresAt).where(sql`status = 'pending'`),
    // Housekeeping deletes answered and lapsed invitations by when they stopped being pending.
    index('org_invitations_resolved_idx').on(t.resolvedAt).where(sql`resolved_at IS NOT NULL`),
    check('org_invitations_role_check', sql`${t.role} IN ('owner', 'admin', 'member')`),
    check('org_invitations_status_check', sql`${t.status} IN ('pending', 'accepted', 'declined', 'revoked', 'expired')`),
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
    // Extension (DBSC): the bound browser's public JWK and when it was bound (see the SQLite schema).
    dbscPublicKey: text('dbsc_public_key'),
    dbscBoundAt: text('dbsc_bound_at'),
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

/** DBSC challenges: single-use nonces bound to one session, deleted when it ends. */
export const dbscChallenges = pgTable(
  'dbsc_challenges',
  {
    challenge: text('challenge').primaryKey(),
    sessionId: text('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
    expiresAt: text('expires_at').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('dbsc_challenges_session_idx').on(t.sessionId)],
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

/** The global send budget (C6): one row, a token bucket over every address; no address in it. */
export const codeSendBudget = pgTable('code_send_budget', {
  id: text('id').primaryKey(), // always SEND_BUDGET_ID: the deployment has one budget
  tokens: doublePrecision('tokens').notNull(), // sends left at refilled_at (it refills continuously)
  refilledAt: text('refilled_at').notNull(),
});

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
