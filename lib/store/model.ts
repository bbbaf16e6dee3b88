/**
 * The store's vocabulary, shared by both engines and by lib/auth: roles, device types, why a
 * session ended, and the kinds of security event. Each engine's schema checks its columns against
 * these lists; nothing here knows a database.
 */

export const roles = ['owner', 'admin', 'member'] as const;
export type Role = (typeof roles)[number];

export const deviceTypes = ['desktop', 'mobile', 'tablet', 'unknown'] as const;
export type DeviceType = (typeof deviceTypes)[number];

export const revokeReasons = ['sign_out', 'rotation', 'admin', 'reuse_detected'] as const;
export type RevokeReason = (typeof revokeReasons)[number];

export const securityEventTypes = [
  'sign_in',
  'sign_out',
  'session_revoked',
  'other_sessions_revoked',
  'device_renamed',
  'admin_revoked',
  'refresh_reuse_detected',
  'key_retired',
  'member_added',
  'member_removed',
  'org_switched',
] as const;
export type SecurityEventType = (typeof securityEventTypes)[number];

/** The key of code_send_budget's one row: the deployment has one global send budget (C6). */
export const SEND_BUDGET_ID = 'sign_in_codes';
