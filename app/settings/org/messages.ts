import { INVITATION_EMAILS_PER_ADDRESS_PER_DAY, INVITATIONS_PER_ORG_PER_HOUR, ORGS_CREATED_PER_DAY } from '@/lib/rules';
import type { OrgActionError } from '@/lib/orgs/action-result';
import type { InvitationError } from '@/lib/store/types';

/**
 * The words of the org pages for what an action did (`?done=`) or why it did not (`?error=`).
 * Maps, not objects: `?error=constructor` finds nothing rather than Object's own members.
 */

export const DONE = new Map([
  ['invited', 'Invitation sent. Nothing changes for them, and you see nothing of theirs, until they accept.'],
  ['revoked', 'Invitation revoked. Its link no longer works.'],
  ['session-ended', 'Session ended.'],
  ['sessions-ended', 'All their sessions in this organisation ended.'],
  ['removed', 'Removed. Their sessions in this organisation ended.'],
  ['renamed', 'Renamed.'],
  ['transferred', 'Ownership handed over. You are an admin of this organisation now.'],
  ['left', 'You left that organisation. Its owners and admins no longer see your devices; the ones that were in it moved to your personal organisation.'],
  ['deleted', 'Organisation deleted. Every session in it ended, and each device was told why. This device moved to your personal organisation.'],
  ['joined', 'You joined. This device now works in this organisation.'],
  ['declined', 'You declined the invitation.'],
  ['created', 'Organisation created. This device now works in it.'],
  ['switched', 'Switched.'],
]);

export const ERRORS = new Map<OrgActionError | InvitationError, string>([
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
  ['invalid', 'Check the form and try again.'],
  ['unavailable', 'Signet could not save that just now. Nothing was changed; try again.'],
  ['mail_failed', 'The invitation is saved, but its email could not be sent. Revoke it and invite again in a few minutes.'],
  ['wrong_address', 'This invitation was sent to another address.'],
  ['expired', 'This invitation has expired. Ask for a new one.'],
  ['closed', 'This invitation can no longer be used.'],
]);

/** How invitation emails are limited, in words that apply to every address alike. */
export const INVITATION_LIMITS = `An organisation can send ${INVITATIONS_PER_ORG_PER_HOUR} invitations an hour. Each address receives at most ${INVITATION_EMAILS_PER_ADDRESS_PER_DAY} invitation emails a day, from all organisations together; past that, invitations are saved here but not emailed.`;

export const ROLE_WORDS = { owner: 'an owner', admin: 'an admin', member: 'a member' } as const;

/** The ?done= and ?error= of a page, in words. */
export function outcomeOf(done: string | undefined, error: string | undefined): { done?: string; error?: string } {
  const errorText = error ? [...ERRORS].find(([key]) => key === error)?.[1] : undefined;
  return { done: done ? DONE.get(done) : undefined, error: errorText };
}
