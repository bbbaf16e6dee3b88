import { INVITATION_EMAILS_PER_ADDRESS_PER_DAY, INVITATIONS_PER_ORG_PER_HOUR } from '@/lib/rules/caps';
import { errorInWords } from '@/app/components/words';

/**
 * The words of the org pages for what an action did (`?done=`); why one did not (`?error=`) is
 * said by app/components/words.ts. A Map: `?done=constructor` finds nothing.
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


/** How invitation emails are limited, in words that apply to every address alike. */
export const INVITATION_LIMITS = `An organisation can send ${INVITATIONS_PER_ORG_PER_HOUR} invitations an hour. Each address receives at most ${INVITATION_EMAILS_PER_ADDRESS_PER_DAY} invitation emails a day, from all organisations together; past that, invitations are saved here but not emailed.`;

export const ROLE_WORDS = { owner: 'an owner', admin: 'an admin', member: 'a member' } as const;

/** The ?done= and ?error= of a page, in words. */
export function outcomeOf(done: string | undefined, error: string | undefined): { done?: string; error?: string } {
  return { done: done ? DONE.get(done) : undefined, error: errorInWords(error) };
}
