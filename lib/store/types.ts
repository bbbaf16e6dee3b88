import type { SendBudget, SendOutcome } from '../rules';
import type { DeviceType, RevokeReason, Role, SecurityEventType } from './model';
import type { OrgActor, OrgError, OrgStore } from './org-types';

export type * from './org-types';

/**
 * The one async store interface. Each method is one use case; transactions, locks and retries
 * live inside it, so a caller never sees a connection, a transaction or SQL. Both engines
 * (`sqlite/`, `postgres/`) implement it and the conformance suite (test/store/) holds them to it.
 * Timestamps cross this interface as ISO 8601 UTC strings, as they are stored.
 */

/** The session behind a request, with its user, org and membership: the hot path's one read. */
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
  /** The label, as it was then, of the person's device that ended this one (null: none did). */
  revokedFrom: string | null;
  lastSeenAt: string;
  persistent: boolean;
};

/** Why a session ended, in the terms the sign-in page explains it; `from`: the device that ended it. */
export type EndedNotice = { reason: RevokeReason; at: string; elsewhere: boolean; orgName: string; from: string | null };

/** A sign-in challenge as stored: only the HMAC of its code. */
export type StoredChallenge = {
  id: string;
  email: string;
  codeHmac: string;
  kid: string;
  expiresAt: string;
  attempts: number;
  consumedAt: string | null;
  createdAt: string;
};

export type NewChallenge = { id: string; email: string; codeHmac: string; kid: string; expiresAt: Date };

/** A challenge as the pages may see it: everything but the HMAC of its code. */
export type ChallengeView = Omit<StoredChallenge, 'codeHmac' | 'kid'>;

/**
 * What the per-address caps count for one address: the codes sent to it in the throttle window
 * (with their wrong tries), and when it last signed in. lib/rules/index.ts reads the limits from it.
 */
export type AddressHistory = { sends: Array<{ createdAt: string; attempts: number }>; lastSignInAt: string | null };

export type NewDevice = {
  fingerprint: string;
  label: string | null;
  /**
   * The label is only what the User-Agent suggested (the person left it as it was): the store
   * gives the session the name this user's last session from the same fingerprint had instead.
   */
  labelIsSuggestion?: boolean;
  type: DeviceType;
  persistent: boolean;
};

export type ConfirmSignIn = {
  challengeId: string;
  /** The code check, a pure function of the stored challenge (constant-time HMAC compare). */
  codeMatches: (challenge: StoredChallenge) => boolean;
  device: NewDevice;
  /** Key version the session's first tokens are signed with. */
  kid: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  /** SHA-256 of the "Not you?" token, kept on the session only when it is a new device (L11). */
  alertTokenHash?: string;
};

export type SignedIn = {
  sessionId: string;
  userId: string;
  orgId: string;
  email: string;
  newUser: boolean;
  newDevice: boolean;
  /** The label the session got (the one asked for, or the device's earlier name). */
  deviceLabel: string | null;
};

export type RotateRefresh = {
  sessionId: string;
  userId: string;
  /** The generation the presented refresh token carries. */
  generation: number;
  /** The new access token's end and the key the session moves to. */
  accessExpiresAt: Date;
  kid: string;
  graceSeconds: number;
  /**
   * DBSC: the request proved possession of the session's bound key. A bound session's refresh
   * token alone no longer rotates: without this it is refused ('device_bound') and recorded.
   */
  deviceProven?: boolean;
};

export type Rotation =
  | { outcome: 'rotated' | 'grace'; persistent: boolean }
  | { outcome: 'invalid' | 'expired' | 'device_bound' }
  | { outcome: 'revoked'; notice: EndedNotice };

/**
 * Which sessions a revocation ends. Every scope is narrowed in SQL by its owner or org, so an id
 * from elsewhere matches nothing and the answer is the same as for an unknown id.
 */
export type RevokeScope =
  /** One of the user's own sessions; `fromSessionId` is the session acting (null: the browser itself). */
  | { kind: 'session'; userId: string; sessionId: string; fromSessionId: string | null }
  /** Every live session of the user but `keepSessionId`. */
  | { kind: 'other_sessions'; userId: string; keepSessionId: string; orgId: string }
  /** Every live session of the user, `sessionId` (the one acting) included. */
  | { kind: 'all_sessions'; userId: string; sessionId: string; orgId: string }
  /** The live session whose "Not you?" token hashes to `tokenHash` (no sign-in: the token is the proof). */
  | { kind: 'alert_link'; tokenHash: string }
  /** An org admin ends one session in their org. */
  | { kind: 'org_session'; actor: OrgActor; sessionId: string }
  /** An org admin ends every session one member has in their org. */
  | { kind: 'org_member'; actor: OrgActor; userId: string }
  /** Every live session still on a retired key version (in small batches). */
  | { kind: 'key'; kid: string };

export type Revoked = { ok: true; ended: number } | { ok: false; error: OrgError };

/** One row of a person's device list, as stored; lib/auth/device-list makes the page's view. */
export type DeviceRow = {
  id: string;
  label: string | null;
  deviceType: DeviceType | null;
  signedInAt: string;
  lastActiveAt: string;
  persistent: boolean;
  refreshExpiresAt: string;
  revokedAt: string | null;
  revokedReason: RevokeReason | null;
  revokedElsewhere: boolean;
  /** DBSC: the session is bound to a key its browser holds. */
  deviceBound: boolean;
};

export type DeviceRows = { live: DeviceRow[]; ended: DeviceRow[] };

export type ActivityRow = {
  id: number;
  type: SecurityEventType;
  at: string;
  detail: string | null;
  userId: string | null;
  actorUserId: string | null;
  userEmail: string | null;
  actorEmail: string | null;
  orgName: string | null;
  /** The device's label as it was when the event happened (null on events older than the column). */
  deviceLabel: string | null;
};

/** The session a "Not you?" link still ends, as its page describes it. */
export type AlertSession = { label: string | null; deviceType: DeviceType | null; signedInAt: string };

export type PruneOptions = { now: Date; retentionDays: number; batchSize?: number };
export type PruneCounts = { sessions: number; challenges: number; events: number; invitations: number };

/** DBSC challenges: which session a challenge is for, and which binding state it needs. */
export type NewDeviceChallenge = { sessionId: string; challenge: string; expiresAt: Date; purpose: 'registration' | 'refresh' };

/** Binds a session to the key that answered its registration challenge. */
export type BindDeviceKey = { sessionId: string; userId: string; challenge: string; publicKey: string };
export type DeviceBinding = 'bound' | 'already_bound' | 'no_challenge' | 'ended';

/** The DBSC store methods (dbsc.ts in each engine). */
export interface DeviceKeyStore {
  /**
   * Stores a challenge for a live session: for registration an unbound one, for refresh a bound
   * one. False (nothing stored) otherwise. Clears the session's expired challenges.
   */
  createDeviceChallenge(input: NewDeviceChallenge, now: Date): Promise<boolean>;
  /**
   * Consumes the registration challenge and stores the key, under the session's lock: never a
   * second key, never an ended session. Records 'device_bound'.
   */
  bindDeviceKey(input: BindDeviceKey, now: Date): Promise<DeviceBinding>;
  /** The public JWK (JSON) a live session is bound to, or null. */
  findDeviceKey(sessionId: string, now: Date): Promise<string | null>;
  /** Consumes an unexpired challenge of this session; false when there is none. */
  consumeDeviceChallenge(sessionId: string, challenge: string, now: Date): Promise<boolean>;
}

/** The store; its org and invitation methods are OrgStore (org-types.ts), DBSC's DeviceKeyStore. */
export interface Store extends OrgStore, DeviceKeyStore {
  readonly engine: 'sqlite' | 'postgres';

  // The per-request check.
  /** The session `sessionId` with its user, org and membership, or null. Never stale. */
  findSessionForCheck(sessionId: string): Promise<SessionContext | null>;
  /** Writes last-seen when the stored value is older than the interval; never waits for a lock. */
  touchLastSeen(sessionId: string, now: Date, intervalSeconds: number): Promise<'written' | 'not_due' | 'busy'>;

  // Signing in.
  /**
   * Stores a new code for an address and expires its open ones, taking one send from the global
   * budget. Nothing is stored when the budget is spent (checked first, so every address gets that
   * answer alike) or when the address has reached its own caps (which takes nothing from the budget).
   */
  createChallenge(challenge: NewChallenge, now: Date, budget: SendBudget): Promise<SendOutcome>;
  /** A challenge in any state (open, used up, expired), without its HMAC; null when unknown. */
  findChallenge(challengeId: string): Promise<ChallengeView | null>;
  /** What the caps count for `email` at `now` (C3), so a refusal can be explained (C7). */
  addressHistory(email: string, now: Date): Promise<AddressHistory>;
  /**
   * Checks a code and, when right, consumes it, creates the user on first sign-in (with a
   * personal org) and inserts the session, all in one transaction (C4, R4). Null: refused.
   */
  confirmSignIn(input: ConfirmSignIn, now: Date): Promise<SignedIn | null>;

  // Refresh.
  /** Rotates a refresh token's generation, honours the grace window, revokes on replay (L3, L4). */
  rotateRefresh(input: RotateRefresh, now: Date): Promise<Rotation>;

  // Ending sessions: the one revocation, with its security events, in one transaction.
  revoke(scope: RevokeScope, reason: RevokeReason, now: Date): Promise<Revoked>;

  // A person's devices and activity.
  listDevices(userId: string, now: Date, endedSince: Date, endedLimit: number): Promise<DeviceRows>;
  /** Renames one of the user's live devices; false when nothing of theirs matched. */
  renameDevice(actor: { userId: string; orgId: string }, sessionId: string, label: string, now: Date): Promise<boolean>;
  listActivity(filter: { userId: string } | { orgId: string }, limit: number): Promise<ActivityRow[]>;
  /** The live session a "Not you?" token (by its hash) still ends, or null (L11). */
  findAlertSession(tokenHash: string, now: Date): Promise<AlertSession | null>;

  // Operators.
  /** Live sessions per key version. */
  liveSessionsByKid(now: Date): Promise<Map<string, number>>;
  /** Deletes what is past retention, in small batches, while the app serves. */
  prune(options: PruneOptions): Promise<PruneCounts>;
  close(): Promise<void>;
}
