/**
 * The store's vocabulary, shared by both engines and by lib/auth: roles, device types, why a
 * session ended, and the kinds of security event. Each engine's schema checks its columns against
 * these lists; nothing here knows a database.
 */

export const roles = ['owner', 'admin', 'member'] as const;
export type Role = (typeof roles)[number];

export const deviceTypes = ['desktop', 'mobile', 'tablet', 'unknown'] as const;
export type DeviceType = (typeof deviceTypes)[number];

// `reported`: ended from the "Not you?" link of the new-device email, without signing in (L11).
export const revokeReasons = ['sign_out', 'rotation', 'admin', 'reuse_detected', 'reported'] as const;
export type RevokeReason = (typeof revokeReasons)[number];

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
  'member_added',
  'member_removed',
  'org_switched',
] as const;
export type SecurityEventType = (typeof securityEventTypes)[number];
