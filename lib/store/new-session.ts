import { iso } from '../ids';
import type { ConfirmSignIn } from './types';

/** What the store decided inside the sign-in transaction, for the new row. */
export type SessionChoices = {
  /** The label asked for, or (when it was only the browser's suggestion) the device's earlier name. */
  label: string | null;
  /** Whether no recent session came from this device: then its "Not you?" token hash is kept. */
  newDevice: boolean;
};

/**
 * A new session's row, alike on both engines: generation 0, its absolute end fixed here for good,
 * and only a label and a SHA-256 of the User-Agent to say which device it is.
 */
export function newSessionRow(id: string, account: { userId: string; orgId: string }, input: ConfirmSignIn, now: Date, choices: SessionChoices) {
  return {
    id,
    userId: account.userId,
    orgId: account.orgId,
    kid: input.kid,
    deviceFingerprint: input.device.fingerprint,
    deviceLabel: choices.label,
    deviceType: input.device.type,
    accessExpiresAt: iso(input.accessExpiresAt),
    refreshExpiresAt: iso(input.refreshExpiresAt),
    createdAt: iso(now),
    refreshGeneration: 0,
    refreshRotatedAt: iso(now),
    lastSeenAt: iso(now),
    persistent: input.device.persistent,
    alertTokenHash: choices.newDevice ? (input.alertTokenHash ?? null) : null,
  };
}

/** The label a new session gets: the one asked for, unless it was only a suggestion and the device had a name. */
export function chosenLabel(input: ConfirmSignIn, earlierName: string | null): string | null {
  return input.device.labelIsSuggestion && earlierName !== null ? earlierName : input.device.label;
}
