import type { ActionError } from '@/lib/web/action-result';
import { INVITATIONS_PER_ORG_PER_HOUR, ORGS_CREATED_PER_DAY } from '@/lib/rules/caps';

/**
 * Every action's refusal in words: the codes of lib/web/action-result.ts, said the same on every
 * page. A Map, so a code from the address such as `?error=constructor` finds nothing.
 */
const ERRORS = new Map<ActionError, string>([
  // Unknown ids, other orgs' ids and "you may not administer this org" all read the same.
  ['not_found', 'That member, session or invitation was not found in this organisation.'],
  ['forbidden', 'Only an owner can do that.'],
  ['last_owner', 'An organisation must keep an owner: hand ownership to another member, or delete the organisation.'],
  ['already_member', 'That address is already a member of this organisation.'],
  ['already_invited', 'That address already has a pending invitation. Revoke it first to send a new one.'],
  ['self', 'To leave this organisation, use Leave.'],
  ['personal', 'Your personal organisation is yours alone: nobody can be invited to it, and it cannot be left or deleted.'],
  ['invite_limit', `An organisation can send ${INVITATIONS_PER_ORG_PER_HOUR} invitations an hour. Try again later.`],
  ['create_limit', `You can create ${ORGS_CREATED_PER_DAY} organisations a day. Try again tomorrow.`],
  ['name_mismatch', 'That is not the organisation’s name. Nothing was deleted.'],
  ['invalid', 'That request was not valid. Check the form and try again.'],
  ['invalid_label', 'A device name has 1 to 64 characters.'],
  ['unavailable', 'Signet could not save that just now. Nothing was changed; try again.'],
  ['mail_failed', 'The invitation is saved, but its email could not be sent. Revoke it and invite again in a few minutes.'],
  ['wrong_address', 'This invitation was sent to another address.'],
  ['expired', 'This invitation has expired. Ask for a new one.'],
  ['closed', 'This invitation can no longer be used.'],
]);

export function errorInWords(code: string | undefined): string | undefined {
  return code === undefined ? undefined : ERRORS.get(code as ActionError);
}
