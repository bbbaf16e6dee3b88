import type { Ending } from '../store/model';
import type { EndedNotice } from '../store/types';

/** How a session ended, in words: on the sign-in page of the device it ended on, and in the security page's list. */

/**
 * The sentence the signed-out device reads. The page adds when ("on 1 Dec 2026, 14:32") after
 * the headline of every ending but the person's own sign-out on this device.
 */
export function describeEnding(notice: EndedNotice): { headline: string; detail: string } {
  switch (notice.reason) {
    case 'admin':
      return { headline: `An admin of ${notice.orgName} ended this session`, detail: 'Sign in again to continue.' };
    case 'rotation':
      return { headline: 'Your session ended when a signing key was retired', detail: 'Please sign in again.' };
    case 'reuse_detected':
      return {
        headline: 'This session was ended to protect your account',
        detail: 'An old sign-in token was used again, which can mean it was copied. Sign in again.',
      };
    case 'org_deleted':
      return { headline: `${notice.orgName} was deleted by its owner, which ended this session`, detail: 'Sign in again to continue in your own organisation.' };
    case 'reported':
      return {
        headline: 'This session was reported from the alert email',
        detail: 'The new-sign-in email’s “Not you?” button ended it. If that was you, sign in again.',
      };
    case 'sign_out':
      return notice.elsewhere
        ? { headline: `You were signed out from ${notice.from ?? 'another device'}`, detail: 'Sign in again to continue.' }
        : { headline: 'You are signed out', detail: 'Sign in again whenever you like.' };
  }
}

const ENDINGS_IN_WORDS: Record<Ending, string> = {
  signed_out: 'Signed out',
  signed_out_elsewhere: 'Signed out from another device',
  admin: 'Ended by an org admin',
  rotation: 'Ended when a signing key was retired',
  reuse_detected: 'Ended: its refresh token was reused',
  org_deleted: 'Ended when its organisation was deleted',
  reported: 'Reported from the alert email',
  expired: 'Expired',
};

export function endingInWords(ending: Ending): string {
  return ENDINGS_IN_WORDS[ending];
}
