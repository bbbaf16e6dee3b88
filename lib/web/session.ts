import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getEnv } from '../env';
import { appOriginFor, isCrossSite } from './request';
import { log } from '../log';
import { checkAccessToken, type CheckResult } from '../auth/check';
import { cookieNames, singleCookie, usesSecureCookies } from './cookies';
import { getKeyring } from '../crypto/keys';
import type { SessionContext } from '../store/types';

/** Thrown when a server action is called from another site: the action does not run (W2). */
export class CrossSiteActionError extends Error {
  constructor() {
    super('A server action was called from another site; it was not run');
    this.name = 'CrossSiteActionError';
  }
}

/** Thrown when the session store cannot answer: the request is denied, nobody is signed out (R2). */
export class SessionStoreUnavailableError extends Error {
  constructor() {
    super('The session store is unavailable');
    this.name = 'SessionStoreUnavailableError';
  }
}

async function checkToken(token: string | undefined): Promise<CheckResult> {
  if (!token) return { status: 'none' };
  try {
    return await checkAccessToken(getKeyring(), token, new Date(), getEnv().LAST_SEEN_INTERVAL_SECONDS);
  } catch (error) {
    log.error('session_check_failed', { error: error instanceof Error ? error.message : 'unknown' });
    throw new SessionStoreUnavailableError();
  }
}

function accessCookieName(): string {
  return cookieNames(usesSecureCookies()).access;
}

/**
 * The request's session check, run at most once per request (React cache) by every page, server
 * action and route handler. The proxy only saves a round trip; this is the guard.
 */
export const checkCurrentSession = cache(async (): Promise<CheckResult> => {
  return checkToken(singleCookie((await headers()).get('cookie'), accessCookieName()));
});

export async function getCurrentSession(): Promise<SessionContext | null> {
  const result = await checkCurrentSession();
  return result.status === 'valid' ? result.session : null;
}

/**
 * The same check for route handlers, reading the access cookie from the request itself. There,
 * cookies() builds the writable response-cookie store on every call, which a read does not need
 * (measured: as costly as verifying the token).
 */
export async function getRequestSession(request: Request): Promise<SessionContext | null> {
  const result = await checkToken(singleCookie(request.headers.get('cookie'), accessCookieName()));
  return result.status === 'valid' ? result.session : null;
}

/** The signed-in session, or a redirect to /sign-in that comes back to `returnTo` afterwards. */
export async function requireSession(returnTo: string): Promise<SessionContext> {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return session;
}

/**
 * The session check for server actions: the route handlers' cross-site rule (W2), then
 * requireSession. Next refuses an action whose Origin names another host, but runs one that
 * carries only a cross-site Sec-Fetch-Site; this refuses both, before anything is read or written.
 */
export async function requireActionSession(returnTo: string): Promise<SessionContext> {
  await requireSameSiteAction();
  return requireSession(returnTo);
}

/** The cross-site rule alone, for the one action anyone may use signed out ("Not you?", L11). */
export async function requireSameSiteAction(): Promise<void> {
  const incoming = await headers();
  if (isCrossSite(incoming, appOriginFor(incoming, incoming.get('x-forwarded-proto') ?? 'http'))) throw new CrossSiteActionError();
}
