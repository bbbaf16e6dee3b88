import { NextResponse, type NextRequest } from 'next/server';
import { cookieNames, sessionCookies, usesSecureCookies, type CookieToSet } from './lib/auth/cookies';
import { getKeyring } from './lib/auth/keys';
import { refreshPolicy } from './lib/auth/policy';
import { rotateRefreshToken } from './lib/auth/refresh';
import { isCrossSiteRequest } from './lib/http/request';
import { signedOutCookies } from './lib/http/respond';
import { log } from './lib/log';

/**
 * Silent refresh on page navigations. The matcher only runs this when a refresh cookie is present
 * and the access cookie is not (its Max-Age equals the token's lifetime, so an expired access
 * token is simply absent): signed-in requests with a live token never pay for the proxy.
 *
 * This is a convenience, never the guard: every page, action and route handler checks the
 * session itself. Only GET/HEAD refresh; a refresh racing a sign-out POST could revive cookies.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (request.method === 'POST' && request.headers.has('next-action')) return screenServerAction(request);
  if (request.method !== 'GET' && request.method !== 'HEAD') return NextResponse.next();
  const names = cookieNames(usesSecureCookies());
  const refreshToken = request.cookies.get(names.refresh)?.value;
  if (!refreshToken || request.cookies.has(names.access)) return NextResponse.next();

  const now = new Date();
  let result;
  try {
    result = await rotateRefreshToken(getKeyring(), refreshToken, refreshPolicy(), now);
  } catch (error) {
    // Fail closed without signing anyone out: no cookie changes, and the client may retry.
    log.error('proxy_refresh_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return new NextResponse('Signet is briefly unavailable. Please try again in a few seconds.', {
      status: 503,
      headers: { 'Retry-After': '5', 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }

  if (result.ok) return forward(request, sessionCookies(result.tokens, now));
  const cleared = signedOutCookies(result.error === 'revoked' ? result.notice : null);
  if (PUBLIC_PATHS.has(request.nextUrl.pathname)) return forward(request, cleared);
  const signIn = new URL('/sign-in', request.url);
  signIn.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const redirect = NextResponse.redirect(signIn, 303);
  for (const cookie of cleared) redirect.cookies.set(cookie);
  redirect.headers.set('Cache-Control', 'no-store');
  return redirect;
}

// Pages anyone may open signed out: a dead refresh cookie must not send them to /sign-in. The
// alert email's "Not you?" page works without signing in, whatever this browser holds (L11).
const PUBLIC_PATHS = new Set(['/sign-in', '/verify', '/dev/mailbox', '/sign-out/failed', '/not-you']);

/**
 * A cross-site server action gets a clean 403 here instead of the framework's bare 500. The
 * action itself still refuses it (requireActionSession): this only makes the answer clear.
 */
function screenServerAction(request: NextRequest): NextResponse {
  if (!isCrossSiteRequest(request)) return NextResponse.next();
  return new NextResponse('This request did not come from Signet.', {
    status: 403,
    headers: { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/**
 * Continues to the page with `cookies` applied twice: on the response, for the browser, and on
 * the forwarded request's Cookie header, so this very render already sees the new tokens.
 */
function forward(request: NextRequest, cookies: CookieToSet[]): NextResponse {
  for (const cookie of cookies) {
    if (cookie.maxAge === 0) request.cookies.delete(cookie.name);
    else request.cookies.set(cookie.name, cookie.value);
  }
  const response = NextResponse.next({ request: { headers: request.headers } });
  for (const cookie of cookies) response.cookies.set(cookie);
  response.headers.set('Cache-Control', 'private, no-store');
  return response;
}

// JSON routes under /api/ are left out: fetch clients get a 401 and call POST /refresh themselves,
// so the proxy only ever refreshes page navigations.
export const config = {
  matcher: [
    // Server actions (POSTs carrying Next-Action), to refuse cross-site ones with a clear 403.
    { source: '/((?!_next/).*)', has: [{ type: 'header', key: 'next-action' }] },
    {
      source: '/((?!_next/|favicon.ico|api/|refresh|sign-out|sign-in/send|verify/confirm).*)',
      has: [{ type: 'cookie', key: 'signet_rt' }],
      missing: [{ type: 'cookie', key: 'signet_at' }],
    },
    {
      source: '/((?!_next/|favicon.ico|api/|refresh|sign-out|sign-in/send|verify/confirm).*)',
      has: [{ type: 'cookie', key: '__Host-signet_rt' }],
      missing: [{ type: 'cookie', key: '__Host-signet_at' }],
    },
  ],
};
