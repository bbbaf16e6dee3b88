import { z } from 'zod';
import { revokeReasons } from '../store/model';
import type { EndedNotice } from '../auth/check';

/**
 * The "why was I signed out" notice travels in a short-lived cookie from the place that found the
 * session ended (proxy, /refresh) to the sign-in page. It is display text only: it grants nothing.
 */
const noticeSchema = z.object({
  reason: z.enum(revokeReasons),
  at: z.iso.datetime(),
  elsewhere: z.boolean(),
  orgName: z.string().max(200),
  from: z.string().max(200).nullable(),
});

export const NOTICE_MAX_AGE_SECONDS = 300;

export function encodeNotice(notice: EndedNotice): string {
  return Buffer.from(JSON.stringify(notice)).toString('base64url');
}

export function decodeNotice(value: string | undefined): EndedNotice | null {
  if (!value || value.length > 1024) return null;
  try {
    const parsed = noticeSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A notice for this browser's own sign-out, so the sign-in page can say so. */
export function ownSignOut(now: Date): EndedNotice {
  return { reason: 'sign_out', at: now.toISOString(), elsewhere: false, orgName: '', from: null };
}

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
