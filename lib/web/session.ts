import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { checkAccessToken, type CheckResult } from '../auth/check';
import { log } from '../log';
import type { SessionContext } from '../store/types';
import { appContext } from './context';
import { cookieNames, singleCookie, usesSecureCookies } from './cookies';
import { signedOutCookies } from './notice';
import { appOriginFor, isCrossSite } from './request';

/**
 * The session check as the app reaches it. Next.js forces three ways in, and there are no others:
 *  - `currentSession()`: the check itself, for route handlers and for pages that only ask
 *    "signed in?". It reads the Cookie header through headers(), once per request (React cache),
 *    and answers `unavailable` when the store cannot (R2: nobody is signed out for that).
 *  - `requireSession(returnTo)`: pages. A render cannot set cookies, so an ended session goes by
 *    /sign-in/ended, the route handler that clears its cookies and says why.
 *  - `requireActionSession(returnTo)`: server actions, which can be called from another site and
 *    can set cookies: the cross-site rule first, and an ended session is told why at once.
 * The proxy checks nothing (it only refreshes); every page, action and route handler checks here.
 */

/** Thrown when a server action is called from another site: the action does not run (W2). */
class CrossSiteActionError extends Error {
  constructor() {
    super('A server action was called from another site; it was not run');
    this.name = 'CrossSiteActionError';
  }
}

/** Thrown when the session store cannot answer: the request is denied, nobody is signed out (R2). */
class SessionStoreUnavailableError extends Error {
  constructor() {
    super('The session store is unavailable');
    this.name = 'SessionStoreUnavailableError';
  }
}

export type SessionCheck = CheckResult | { status: 'unavailable' };

/** This request's session check: valid (with the session), none, ended (with why), or unavailable. */
export const currentSession = cache(async (): Promise<SessionCheck> => {
  const token = singleCookie((await headers()).get('cookie'), cookieNames(usesSecureCookies()).access);
  if (!token) return { status: 'none' };
  try {
    return await checkAccessToken(await appContext(), token);
  } catch (error) {
    log.error('session_check_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return { status: 'unavailable' };
  }
});

/** The check for pages and actions: a store that cannot answer denies the request (error page, R2). */
async function checkedSession(): Promise<CheckResult> {
  const result = await currentSession();
  if (result.status === 'unavailable') throw new SessionStoreUnavailableError();
  return result;
}

const signInPath = (path: string, returnTo: string) => `${path}?next=${encodeURIComponent(returnTo)}`;

/** The signed-in session, or a redirect to sign in that comes back to `returnTo` afterwards. */
export async function requireSession(returnTo: string): Promise<SessionContext> {
  const result = await checkedSession();
  if (result.status === 'valid') return result.session;
  redirect(signInPath(result.status === 'ended' ? '/sign-in/ended' : '/sign-in', returnTo));
}

/**
 * The session check for server actions: the route handlers' cross-site rule (W2), then the
 * session. Next refuses an action whose Origin names another host, but runs one that carries only
 * a cross-site Sec-Fetch-Site; this refuses both, before anything is read or written.
 */
export async function requireActionSession(returnTo: string): Promise<SessionContext> {
  await requireSameSiteAction();
  const result = await checkedSession();
  if (result.status === 'valid') return result.session;
  if (result.status === 'ended') {
    const jar = await cookies();
    for (const cookie of signedOutCookies(result.notice)) jar.set(cookie);
  }
  redirect(signInPath('/sign-in', returnTo));
}

/** The cross-site rule alone, for the one action anyone may use signed out ("Not you?", L11). */
export async function requireSameSiteAction(): Promise<void> {
  const incoming = await headers();
  if (isCrossSite(incoming, appOriginFor(incoming, incoming.get('x-forwarded-proto') ?? 'http'))) throw new CrossSiteActionError();
}
