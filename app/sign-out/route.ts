import { NextResponse, type NextRequest } from 'next/server';
import { cookieNames, singleCookie, usesSecureCookies } from '@/lib/auth/cookies';
import { getKeyring } from '@/lib/auth/keys';
import { signOutThisDevice } from '@/lib/auth/device-control';
import { verifyToken } from '@/lib/auth/tokens';
import { crossSiteRefused, jsonError, seeOther, signedOutCookies, withCookies } from '@/lib/http/respond';
import { isCrossSiteRequest } from '@/lib/http/request';
import { log } from '@/lib/log';

/**
 * POST /sign-out: ends this browser's session (`sign_out`) and clears its cookies. The session
 * is found from the access token, or the refresh token when the access token has lapsed. If the
 * revocation cannot be written the browser is told so and keeps its cookies (R3). The answer also
 * carries `Clear-Site-Data: "cookies"`.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (isCrossSiteRequest(request)) return crossSiteRefused();
  const names = cookieNames(usesSecureCookies());
  const keyring = getKeyring();
  const now = new Date();
  const cookie = request.headers.get('cookie');
  const claims =
    (await verifyToken(keyring, 'access', singleCookie(cookie, names.access), now)) ??
    (await verifyToken(keyring, 'refresh', singleCookie(cookie, names.refresh), now));
  if (claims) {
    try {
      await signOutThisDevice(claims, now);
    } catch (error) {
      log.error('sign_out_failed', { error: error instanceof Error ? error.message : 'unknown' });
      return jsonError(503, 'sign_out_failed', 'Signet could not sign you out just now. You are still signed in; try again.', {
        'Retry-After': '5',
      });
    }
  }
  // The browser drops every cookie of this site too, whatever its name or path (W5).
  return withCookies(seeOther('/sign-in', { 'Clear-Site-Data': '"cookies"' }), signedOutCookies(null));
}
