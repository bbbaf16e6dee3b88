import { log } from '../log';
import type { InvitationError, OrgError } from '../store/types';

/**
 * The one way an action says how it went: `{ ok: true, ... }`, or `{ ok: false, error }` with a
 * code. Codes only: the words for each live at the UI edge (app/components/words.ts), so one
 * code reads the same on every page, with or without JavaScript.
 */
export type ActionError = OrgError | InvitationError | 'invalid' | 'invalid_label' | 'unavailable' | 'mail_failed';
export type Refused<E extends ActionError = ActionError> = { ok: false; error: E };
export type ActionResult<E extends ActionError = ActionError, Data extends object = object> = ({ ok: true } & Data) | Refused<E>;

/**
 * Runs an action's operation: its own result, or a store failure reported as `unavailable`,
 * never mistaken for success (R3).
 */
export async function unlessUnavailable<T extends { ok: boolean }>(name: string, operation: () => Promise<T>): Promise<T | Refused<'unavailable'>> {
  try {
    return await operation();
  } catch (error) {
    log.error('action_failed', { action: name, error: error instanceof Error ? error.message : 'unknown' });
    return { ok: false, error: 'unavailable' };
  }
}
