import { NextResponse, type NextRequest } from 'next/server';
import { refreshCookie, refreshSession } from '@/lib/web/refresh';
import { isCrossSiteRequest } from '@/lib/web/request';
import { crossSiteRefused, jsonError, storeUnavailable, withCookies } from '@/lib/web/respond';

/** POST /refresh: rotate the refresh cookie for fetch clients. 204 with new cookies, or 401. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (isCrossSiteRequest(request)) return crossSiteRefused();
  const outcome = await refreshSession(refreshCookie(request.headers.get('cookie')));
  switch (outcome.kind) {
    case 'unavailable':
      return storeUnavailable();
    case 'refreshed':
      return withCookies(new NextResponse(null, { status: 204 }), outcome.cookies);
    case 'signed_out':
      return withCookies(jsonError(401, 'signed_out', 'Please sign in again.'), outcome.cookies);
  }
}
