import { rotateRefreshToken } from '../auth/refresh';
import { log } from '../log';
import { appContext } from './context';
import { cookieNames, sessionCookies, singleCookie, usesSecureCookies, type CookieToSet } from './cookies';
import { signedOutCookies } from './notice';

/**
 * What a refresh means for the browser, for both places that refresh: the proxy's silent refresh
 * on a page navigation, and POST /refresh for fetch clients.
 *  - `refreshed`: the new session cookies;
 *  - `signed_out`: cookies that sign the browser out, with why when the session was ended;
 *  - `unavailable`: the store could not answer; nothing changes and the client may retry (R2).
 */
export type RefreshOutcome = { kind: 'refreshed' | 'signed_out'; cookies: CookieToSet[] } | { kind: 'unavailable' };

/** The refresh cookie of a Cookie header; undefined when absent or sent twice (a planted one). */
export function refreshCookie(cookieHeader: string | null): string | undefined {
  return singleCookie(cookieHeader, cookieNames(usesSecureCookies()).refresh);
}

export async function refreshSession(refreshToken: string | undefined): Promise<RefreshOutcome> {
  try {
    const context = await appContext();
    const result = await rotateRefreshToken(context, refreshToken);
    if (result.ok) return { kind: 'refreshed', cookies: sessionCookies(result.tokens, context.now()) };
    return { kind: 'signed_out', cookies: signedOutCookies(result.error === 'revoked' ? result.notice : null) };
  } catch (error) {
    log.error('refresh_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return { kind: 'unavailable' };
  }
}
