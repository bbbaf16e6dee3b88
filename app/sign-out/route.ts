import { NextResponse, type NextRequest } from 'next/server';
import { signOutThisDevice } from '@/lib/auth/devices';
import { verifyToken } from '@/lib/crypto/tokens';
import { log } from '@/lib/log';
import { appContext } from '@/lib/web/context';
import { cookieNames, singleCookie, usesSecureCookies } from '@/lib/web/cookies';
import { signedOutCookies } from '@/lib/web/notice';
import { isCrossSiteRequest, isNavigation } from '@/lib/web/request';
import { crossSiteRefused, jsonError, seeOther, withCookies } from '@/lib/web/respond';

/**
 * POST /sign-out: ends this browser's session (`sign_out`) and clears its cookies. The session
 * is found from the access token, or the refresh token when the access token has lapsed. If the
 * revocation cannot be written the browser is told so and keeps its cookies (R3): a form post on
 * a page in words (/sign-out/failed), a fetch client in JSON. Signed out, the sign-in page says so.
 * The answer also carries `Clear-Site-Data: "cookies"`.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const page = isNavigation(request);
  if (isCrossSiteRequest(request)) return crossSiteRefused(page);
  const names = cookieNames(usesSecureCookies());
  const context = await appContext();
  const { keyring } = context;
  const now = context.now();
  const cookie = request.headers.get('cookie');
  const claims =
    (await verifyToken(keyring, 'access', singleCookie(cookie, names.access), now)) ??
    (await verifyToken(keyring, 'refresh', singleCookie(cookie, names.refresh), now));
  if (claims) {
    try {
      await signOutThisDevice(context, claims);
    } catch (error) {
      log.error('sign_out_failed', { error: error instanceof Error ? error.message : 'unknown' });
      if (page) return seeOther('/sign-out/failed');
      return jsonError(503, 'sign_out_failed', 'Signet could not sign you out just now. You are still signed in; try again.', {
        'Retry-After': '5',
      });
    }
  }
  // The browser drops every cookie of this site too, whatever its name or path (W5). "You are
  // signed out" only when a session was: a browser with no session gets no notice.
  // Clear-Site-Data drops the notice cookie along with the rest, so "You are signed out" travels in
  // the address instead (display text only, it grants nothing).
  return withCookies(seeOther(claims ? '/sign-in?signed-out=1' : '/sign-in', { 'Clear-Site-Data': '"cookies"' }), signedOutCookies(null));
}
