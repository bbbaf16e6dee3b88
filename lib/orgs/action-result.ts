import { log } from '../log';
import type { OrgError, OrgResult } from './access';

/** The one result shape of the org server actions, with their errors in words. */

export type ActionResult = { ok: true } | { ok: false; error: string };

export const ACTION_ERRORS: Record<OrgError | 'invalid' | 'unavailable', string> = {
  // Unknown ids, other orgs' ids and "you are not an admin here" all read the same.
  not_found: 'That member or session was not found in this organisation.',
  forbidden: 'Only an owner can do that.',
  last_owner: 'An organisation must keep at least one owner.',
  already_member: 'That address is already a member of this organisation.',
  self: 'To leave this organisation, use Leave on your organisations page.',
  current_org: 'Switch to another organisation before leaving this one.',
  invalid: 'Check the form and try again.',
  unavailable: 'Signet could not save that just now. Nothing was changed; try again.',
};

/**
 * Runs an org operation for an action: its result in words, and a database failure reported as
 * such, never mistaken for success (R3).
 */
export async function runOrgAction(name: string, operation: () => Promise<OrgResult>): Promise<ActionResult> {
  try {
    const result = await operation();
    return result.ok ? result : { ok: false, error: ACTION_ERRORS[result.error] };
  } catch (error) {
    log.error('org_action_failed', { action: name, error: error instanceof Error ? error.message : 'unknown' });
    return { ok: false, error: ACTION_ERRORS.unavailable };
  }
}
