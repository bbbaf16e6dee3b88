import { NextResponse, type NextRequest } from 'next/server';
import { cookieNames, sessionCookies, singleCookie, usesSecureCookies } from '@/lib/web/cookies';
import { getKeyring } from '@/lib/crypto/keys';
import { refreshPolicy } from '@/lib/web/context';
import { rotateRefreshToken } from '@/lib/auth/refresh';
import { crossSiteRefused, jsonError, signedOutCookies, storeUnavailable, withCookies } from '@/lib/web/respond';
import { isCrossSiteRequest } from '@/lib/web/request';
import { log } from '@/lib/log';

/** POST /refresh: rotate the refresh cookie for fetch clients. 204 with new cookies, or 401. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (isCrossSiteRequest(request)) return crossSiteRefused();
  const token = singleCookie(request.headers.get('cookie'), cookieNames(usesSecureCookies()).refresh);
  const now = new Date();
  let result;
  try {
    result = await rotateRefreshToken(getKeyring(), token, refreshPolicy(), now);
  } catch (error) {
    log.error('refresh_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return storeUnavailable();
  }
  if (result.ok) return withCookies(new NextResponse(null, { status: 204 }), sessionCookies(result.tokens, now));
  const notice = result.error === 'revoked' ? result.notice : null;
  return withCookies(jsonError(401, 'signed_out', 'Please sign in again.'), signedOutCookies(notice));
}
