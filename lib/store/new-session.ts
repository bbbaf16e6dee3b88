import { iso } from '../ids';
import type { ConfirmSignIn } from './types';

/**
 * A new session's row, alike on both engines: generation 0, its absolute end fixed here for good,
 * and only a label and a SHA-256 of the User-Agent to say which device it is.
 */
export function newSessionRow(id: string, account: { userId: string; orgId: string }, input: ConfirmSignIn, now: Date) {
  return {
    id,
    userId: account.userId,
    orgId: account.orgId,
    kid: input.kid,
    deviceFingerprint: input.device.fingerprint,
    deviceLabel: input.device.label,
    deviceType: input.device.type,
    accessExpiresAt: iso(input.accessExpiresAt),
    refreshExpiresAt: iso(input.refreshExpiresAt),
    createdAt: iso(now),
    refreshGeneration: 0,
    refreshRotatedAt: iso(now),
    lastSeenAt: iso(now),
    persistent: input.device.persistent,
  };
}
