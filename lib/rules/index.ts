import type { Role } from '../store/model';
import { addSeconds, iso } from '../ids';
import { FAMILIAR_DEVICE_DAYS, INVITATION_EMAILS_PER_ADDRESS_PER_DAY, INVITATIONS_PER_ORG_PER_HOUR, MAX_ATTEMPTS_PER_CODE, MAX_FAILURES_PER_WINDOW, MAX_SENDS_PER_WINDOW, ORGS_CREATED_PER_DAY, THROTTLE_WINDOW_SECONDS } from './caps';

export * from './caps';

/**
 * The rules of sign-in, refresh and org administration as pure functions. Both storage engines
 * call these inside their transactions, so SQLite and PostgreSQL cannot disagree about a cap, a
 * grace window or who may act on whom. Nothing here reads a clock or a database.
 */

/** The start of the throttle window that ends at `now`, as stored timestamps compare. */
export function throttleWindowStart(now: Date): string {
  return iso(addSeconds(now, -THROTTLE_WINDOW_SECONDS));
}

/** Whether another code may be sent to an address with this recent history (C3). */
export function maySendCode(recent: { sends: number; failures: number }): boolean {
  return recent.sends < MAX_SENDS_PER_WINDOW && recent.failures < MAX_FAILURES_PER_WINDOW;
}

/**
 * The global send budget (C6): a token bucket over every address, so that one client cannot make
 * Signet mail codes to many addresses in a burst (it keeps no IP addresses to tell clients apart).
 * It holds up to `burst` sends and refills at `perMinute`.
 */
export type SendBudget = { burst: number; perMinute: number };
export type SendBucket = { tokens: number; refilledAt: string };
/** What a request for a code came to; only `sent` stores a code and sends an email. */
export type SendOutcome = 'sent' | 'address_capped' | 'budget_spent';

/**
 * The sends the bucket holds at `now`: what it held, plus the refill since, never beyond the
 * burst. A bucket never used is full. A clock that went back refills nothing.
 */
export function sendTokensAt(bucket: SendBucket | null, budget: SendBudget, now: Date): number {
  if (!bucket) return budget.burst;
  const elapsedMinutes = Math.max(0, now.getTime() - Date.parse(bucket.refilledAt)) / 60_000;
  return Math.min(budget.burst, bucket.tokens + elapsedMinutes * budget.perMinute);
}

export type ChallengeState = { expiresAt: string; attempts: number; consumedAt: string | null };

/** Whether a code may still be tried against this challenge, given the address's recent failures. */
export function mayTryCode(challenge: ChallengeState, recentFailures: number, now: Date): boolean {
  return (
    challenge.consumedAt === null &&
    challenge.expiresAt > iso(now) &&
    challenge.attempts < MAX_ATTEMPTS_PER_CODE &&
    recentFailures < MAX_FAILURES_PER_WINDOW
  );
}

/** Sessions last seen after this instant make a device familiar. */
export function familiarSince(now: Date): string {
  return iso(addSeconds(now, -FAMILIAR_DEVICE_DAYS * 86_400));
}

/**
 * Whether a sign-in is worth a "new device" email: the user has had sessions before, but none
 * from this device recently. A first sign-in has nothing to compare with and is not reported.
 */
export function isUnfamiliarDevice(history: { priorSessions: number; familiarSessions: number }): boolean {
  return history.priorSessions > 0 && history.familiarSessions === 0;
}

export type LifetimePolicy = { accessTtlSeconds: number; persistentLifetimeSeconds: number; browserLifetimeSeconds: number };

/**
 * A new session's two ends: the absolute end, fixed here for good ("stay signed in" or the short
 * browser-session lifetime), and the first access token's, which never outlives it.
 */
export function newSessionTimes(now: Date, persistent: boolean, policy: LifetimePolicy): { accessExpiresAt: Date; refreshExpiresAt: Date } {
  const refreshExpiresAt = addSeconds(now, persistent ? policy.persistentLifetimeSeconds : policy.browserLifetimeSeconds);
  return { accessExpiresAt: accessExpiry(now, policy.accessTtlSeconds, refreshExpiresAt), refreshExpiresAt };
}

/** An access token's end: its lifetime from now, but never past the session's absolute end. */
export function accessExpiry(now: Date, accessTtlSeconds: number, sessionEnd: Date): Date {
  return new Date(Math.min(addSeconds(now, accessTtlSeconds).getTime(), sessionEnd.getTime()));
}

/** What the store holds about a session's refresh state. */
export type RefreshState = { userId: string; generation: number; rotatedAt: string; refreshExpiresAt: string; revokedAt: string | null };

/** What a verified refresh token claims. */
export type RefreshClaim = { userId: string; generation: number };

export type RefreshDecision = 'rotate' | 'grace' | 'replay' | 'invalid' | 'expired' | 'revoked';

/**
 * Refresh rotation with reuse detection (RFC 9700 §4.14.2). The current generation rotates; the
 * immediately previous one is honoured for `graceSeconds` after the last rotation (two tabs
 * refreshing together) and gets the current tokens; anything older is a replay.
 */
export function decideRefresh(state: RefreshState | null, claim: RefreshClaim, graceSeconds: number, now: Date): RefreshDecision {
  if (!state || state.userId !== claim.userId) return 'invalid';
  if (state.revokedAt !== null) return 'revoked';
  if (state.refreshExpiresAt <= iso(now)) return 'expired';
  if (state.generation === claim.generation) return 'rotate';
  const withinGrace = Date.parse(state.rotatedAt) + graceSeconds * 1000 >= now.getTime();
  if (state.generation === claim.generation + 1 && withinGrace) return 'grace';
  return 'replay';
}

export type AdminRole = Extract<Role, 'owner' | 'admin'>;

export function isAdminRole(role: Role | null | undefined): role is AdminRole {
  return role === 'owner' || role === 'admin';
}

/**
 * A bound session's refresh token alone no longer refreshes. Both engines apply this after
 * decideRefresh, under the same lock: a live bound session presented without a device proof is
 * refused ('device_bound') whatever its generation says, including an old one. It is not ended:
 * see docs/threat-model.md ("refresh without this device's key"). Ended, expired and unknown
 * sessions keep their own answers.
 */
export function withDeviceBinding(decision: RefreshDecision, bound: boolean, deviceProven: boolean): RefreshDecision | 'device_bound' {
  if (!bound || deviceProven) return decision;
  return decision === 'rotate' || decision === 'grace' || decision === 'replay' ? 'device_bound' : decision;
}

/** Owners may act on anyone; admins on admins and members, never on an owner. */
export function canManage(actorRole: AdminRole, targetRole: Role): boolean {
  return actorRole === 'owner' || targetRole !== 'owner';
}

/** Only owners may make owners. */
export function mayGrant(actorRole: AdminRole, role: Role): boolean {
  return role !== 'owner' || actorRole === 'owner';
}

/** Whether taking `role` away from one member would leave the org without an owner. */
export function wouldOrphan(role: Role, ownerCount: number): boolean {
  return role === 'owner' && ownerCount <= 1;
}

/** Where the invitation throttles' windows start: the org's last hour, the address's last day. */
export function invitationWindows(now: Date): { org: string; address: string } {
  return { org: iso(addSeconds(now, -3600)), address: iso(addSeconds(now, -86_400)) };
}

/** Whether an org that sent `sentLastHour` invitations may send another. */
export function mayInviteFromOrg(sentLastHour: number): boolean {
  return sentLastHour < INVITATIONS_PER_ORG_PER_HOUR;
}

/** Whether an address that was emailed `mailedLastDay` invitations may be emailed another. */
export function mayMailInvitation(mailedLastDay: number): boolean {
  return mailedLastDay < INVITATION_EMAILS_PER_ADDRESS_PER_DAY;
}

/** The start of the window in which org creations are counted. */
export function orgCreationWindow(now: Date): string {
  return iso(addSeconds(now, -86_400));
}

export function mayCreateOrg(createdLastDay: number): boolean {
  return createdLastDay < ORGS_CREATED_PER_DAY;
}

/** Whether an invitation (still pending in the store) has reached its end at `now`. */
export function isLapsed(invitation: { expiresAt: string }, now: Date): boolean {
  return invitation.expiresAt <= iso(now);
}
