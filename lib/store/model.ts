/**
 * The store's vocabulary, shared by both engines and by lib/auth: roles, device types, why a
 * session ended, and the kinds of security event. Each engine's schema checks its columns against
 * these lists; nothing here knows a database.
 */

export const roles = ['owner', 'admin', 'member'] as const;
export type Role = (typeof roles)[number];

export const deviceTypes = ['desktop', 'mobile', 'tablet', 'unknown'] as const;
export type DeviceType = (typeof deviceTypes)[number];

// `org_deleted`: an owner deleted the org the session worked in; the device is told so.
// `reported`: ended from the "Not you?" link of the new-device email, without signing in (L11).
export const revokeReasons = ['sign_out', 'rotation', 'admin', 'reuse_detected', 'org_deleted', 'reported'] as const;
export type RevokeReason = (typeof revokeReasons)[number];

/** How an ended session ended, as its person is shown it: why it was revoked, or `expired`. */
export type Ending = 'signed_out' | 'signed_out_elsewhere' | 'admin' | 'rotation' | 'reuse_detected' | 'org_deleted' | 'reported' | 'expired';

export const securityEventTypes = [
  'sign_in',
  'sign_out',
  'session_revoked',
  'other_sessions_revoked',
  'all_sessions_revoked',
  'session_reported',
  'device_renamed',
  'admin_revoked',
  'refresh_reuse_detected',
  'key_retired',
  // Kept for rows written before invitations: members used to be added without their consent.
  'member_added',
  'member_removed',
  'org_switched',
  // One row per step of an invitation, visible to both sides: the org (org_id) and the invited
  // person (user_id, when the address has an account). The detail is "<role> <address>".
  'invitation_sent',
  'invitation_accepted',
  'invitation_declined',
  'invitation_revoked',
  'invitation_expired',
  'org_created',
  'org_renamed',
  'ownership_transferred',
  // One row per member of the org, so each of them finds it in their own activity.
  'org_deleted',
  // DBSC: the browser bound the session to a key of its own; then a refresh refused because it
  // came with the session's refresh token but without a proof from that key.
  'device_bound',
  'refresh_without_device_key',
] as const;
export type SecurityEventType = (typeof securityEventTypes)[number];

/** What became of an invitation; only a `pending` one can still be accepted, declined or revoked. */
export const invitationStatuses = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];
/** The key of code_send_budget's one row: the deployment has one global send budget (C6). */
export const SEND_BUDGET_ID = 'sign_in_codes';

function member<T extends string>(list: readonly T[]): (value: string | null) => T | null {
  const known: ReadonlySet<string> = new Set(list);
  return (value) => (value !== null && known.has(value) ? (value as T) : null);
}

/** Stored text back to its vocabulary, on either engine; anything unknown reads as null, never as a wrong value. */
export const asRole: (value: string | null) => Role | null = member(roles);
export const asRevokeReason: (value: string | null) => RevokeReason | null = member(revokeReasons);
export const asDeviceType: (value: string | null) => DeviceType | null = member(deviceTypes);
export const asEventType: (value: string | null) => SecurityEventType | null = member(securityEventTypes);
