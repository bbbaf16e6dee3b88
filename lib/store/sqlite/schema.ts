// The SQLite tables as Drizzle sees them; the migrations in drizzle/ create them.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { deviceTypes, invitationStatuses, revokeReasons, roles, securityEventTypes } from '../model';

// The vocabulary lives in ../model, shared with the PostgreSQL engine; re-exported for old imports.
export { deviceTypes, revokeReasons, roles, securityEventTypes };
export type { DeviceType, RevokeReason, Role, SecurityEventType } from '../model';

/**
 * Signet's schema. Timestamps are ISO 8601 UTC text (as in the seed migration), so they sort and
 * compare as strings. Nothing here may hold an IP address, a raw User-Agent string or a token.
 */

export const orgs = sqliteTable(
  'orgs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
    // Extension: whose personal org this is (null: an org people are invited to). Everyone has
    // exactly one (the unique index); nobody else can join it, and it is never left or deleted.
    personalUserId: text('personal_user_id').references(() => users.id),
    // Extension: when an owner deleted the org. The row stays so that the sessions it ended and
    // its security events can still name it; it has no members and no pending invitations.
    deletedAt: text('deleted_at'),
  },
  (t) => [uniqueIndex('orgs_personal_user_idx').on(t.personalUserId)],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  // Always stored lower-cased (see normalizeEmail); the unique index is the sign-up race guard.
  email: text('email').notNull().unique(),
  createdAt: text('created_at').notNull(),
});

export const memberships = sqliteTable(
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

/**
 * An invitation to join an org, waiting for the invited person's answer. Membership exists only
 * once they accept, signed in as `email` (L10). The emailed token is kept only as its SHA-256.
 */
export const orgInvitations = sqliteTable(
  'org_invitations',
  {
    id: text('id').primaryKey(), // names the invitation in the org's forms; grants nothing
    orgId: text('org_id').notNull().references(() => orgs.id),
    email: text('email').notNull(), // lower-cased; the address may have no account yet
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(), // SHA-256 of the emailed token, never the token
    invitedBy: text('invited_by').notNull().references(() => users.id),
    status: text('status', { enum: invitationStatuses }).notNull(),
    // Whether an email went out: past the per-address cap an invitation is saved but not sent.
    mailed: integer('mailed', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    resolvedAt: text('resolved_at'), // when it stopped being pending
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

/**
 * One row per signed-in device. The first eleven columns are the seed migration's contract
 * (0003_sessions.sql): the id is the `jti` shared by the access and refresh JWTs.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(), // jti
    userId: text('user_id').notNull().references(() => users.id),
    orgId: text('org_id').notNull().references(() => orgs.id),
    kid: text('kid').notNull(), // key version that signed the current tokens
    deviceFingerprint: text('device_fingerprint').notNull(), // SHA-256(User-Agent), never the UA
    deviceLabel: text('device_label'),
    // Extension: the coarse device type parsed from the User-Agent at sign-in, so the security page
    // keeps the right icon after the person renames the device. Null on rows older than it.
    deviceType: text('device_type', { enum: deviceTypes }),
    accessExpiresAt: text('access_expires_at').notNull(),
    // The session's absolute end, fixed at creation; refresh never moves it.
    refreshExpiresAt: text('refresh_expires_at').notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
    revokedReason: text('revoked_reason', { enum: revokeReasons }),
    // Extension: the refresh token generation that is current. A refresh token carries the
    // generation it was issued at; anything older than current - 1 is a replay (reuse detection).
    refreshGeneration: integer('refresh_generation').notNull().default(0),
    // Extension: when the current generation was issued; the previous generation is honoured only
    // within a short grace window after this instant (two tabs refreshing at once).
    refreshRotatedAt: text('refresh_rotated_at').notNull(),
    // Extension: last request seen from this device, written at most every few minutes.
    lastSeenAt: text('last_seen_at').notNull(),
    // Extension: "Stay signed in on this device". 0 means the refresh cookie dies with the
    // browser and refresh_expires_at is the short browser-session lifetime.
    persistent: integer('persistent', { mode: 'boolean' }).notNull(),
    // Extension: a `sign_out` issued from another of the user's devices, so the ended device can
    // be told "you were signed out from another device" rather than just "signed out".
    revokedElsewhere: integer('revoked_elsewhere', { mode: 'boolean' }).notNull().default(false),
    // Extension: the label, as it was then, of the person's own device that ended this session,
    // so the ended device can be told "signed out from Work laptop".
    revokedFromLabel: text('revoked_from_label'),
    // Extension: SHA-256 of the single-use "Not you?" token mailed with a new-device alert (L11).
    // Only a hash is kept, and every revocation clears it: the link dies with its session.
    alertTokenHash: text('alert_token_hash'),
    // Extension (DBSC): the public JWK (JSON, with its alg) of the key this browser proved it holds
    // at registration. A bound session refreshes only with a proof signed by it; never re-bound,
    // and every revocation clears it. Null: not bound (a browser without DBSC).
    dbscPublicKey: text('dbsc_public_key'),
    // Extension (DBSC): when the key was bound, for the security page.
    dbscBoundAt: text('dbsc_bound_at'),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_org_idx').on(t.orgId),
    index('sessions_active_idx').on(t.refreshExpiresAt).where(sql`revoked_at IS NULL`),
    // Extension: lets housekeeping find long-revoked rows without a table scan.
    index('sessions_revoked_idx').on(t.revokedAt).where(sql`revoked_at IS NOT NULL`),
    // Extension: finds the session of a "Not you?" link; partial, since few sessions have one.
    uniqueIndex('sessions_alert_token_idx').on(t.alertTokenHash).where(sql`alert_token_hash IS NOT NULL`),
  ],
);

/**
 * DBSC challenges: single-use nonces a browser signs with its session key, at registration and at
 * each refresh. Each is bound to one session and dies with it (a revocation deletes them; so does
 * deleting the row). A challenge is no secret (it travels in a header), only a nonce.
 */
export const dbscChallenges = sqliteTable(
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
export const signInChallenges = sqliteTable(
  'sign_in_challenges',
  {
    id: text('id').primaryKey(), // random, held by the browser in an HttpOnly cookie
    email: text('email').notNull(), // lower-cased; the user may not exist yet (sign-up)
    codeHmac: text('code_hmac').notNull(),
    kid: text('kid').notNull(), // key version the HMAC key was derived from
    expiresAt: text('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    consumedAt: text('consumed_at'), // set on success only; a resend expires the older code instead
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('sign_in_challenges_email_idx').on(t.email, t.createdAt),
    // Extension: lets housekeeping find long-dead challenges by expiry without a table scan.
    index('sign_in_challenges_expires_idx').on(t.expiresAt),
  ],
);

/**
 * The global send budget (C6): one row, a token bucket over every address. Only a count and a
 * time: nothing here says which addresses asked.
 */
export const codeSendBudget = sqliteTable('code_send_budget', {
  id: text('id').primaryKey(), // always SEND_BUDGET_ID: the deployment has one budget
  tokens: real('tokens').notNull(), // sends left at refilled_at (fractional: it refills continuously)
  refilledAt: text('refilled_at').notNull(),
});

/** Security activity. No IPs, no user agents, no tokens: only ids, a type and a short detail. */
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

export type SessionRow = typeof sessions.$inferSelect;
