import { z } from 'zod';
import type { EndedNotice } from '../store/types';
import { revokeReasons } from '../store/model';
import { clearedSessionCookies, cookieNames, noticeCookie, usesSecureCookies, type CookieToSet } from './cookies';

/**
 * The "why was I signed out" notice. Whatever finds a session ended elsewhere (the proxy's silent
 * refresh, POST /refresh, or a page's check through /sign-in/ended) signs the browser out with
 * `signedOutCookies`, which carries the notice in a short-lived cookie; the sign-in page reads it
 * with `readNotice`. It is display text only: it grants nothing.
 */
const noticeSchema = z.object({
  reason: z.enum(revokeReasons),
  at: z.iso.datetime(),
  elsewhere: z.boolean(),
  orgName: z.string().max(200),
  from: z.string().max(200).nullable(),
});

const NOTICE_MAX_AGE_SECONDS = 300;

/** Cookies that sign this browser out, plus the notice saying why when the session was ended. */
export function signedOutCookies(notice: EndedNotice | null): CookieToSet[] {
  const cookies = clearedSessionCookies();
  if (notice) cookies.push(noticeCookie(Buffer.from(JSON.stringify(notice)).toString('base64url'), NOTICE_MAX_AGE_SECONDS));
  return cookies;
}

/** Drops the notice: once signed in again it has nothing left to say. */
export function clearedNoticeCookie(): CookieToSet {
  return noticeCookie('', 0);
}

/** The notice in this request's cookies, or null when there is none or it is not one of ours. */
export function readNotice(cookies: { get(name: string): { value: string } | undefined }): EndedNotice | null {
  const value = cookies.get(cookieNames(usesSecureCookies()).notice)?.value;
  if (!value || value.length > 1024) return null;
  try {
    const parsed = noticeSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
