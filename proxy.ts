import { NextResponse, type NextRequest } from 'next/server';
import { cookieNames, usesSecureCookies, type CookieToSet } from './lib/web/cookies';
import { refreshCookie, refreshSession } from './lib/web/refresh';
import { screenPagePost, type PagePostRefusal } from './lib/web/page-post';
import { applyRequestSecurity, requestSecurity } from './lib/web/security-headers';

/**
 * Runs on every request but static files. In order:
 *  1. gives the request its Content-Security-Policy nonce (Next.js puts it on its scripts) and
 *     every answer its per-request headers (W5);
 *  2. refuses, with a clear 4xx, what Next.js would answer with a bare 500 (W4): a path that is not
 *     valid percent-encoding, and server-action posts from another site, too large or undecodable;
 *  3. refreshes silently on page navigations whose access cookie has expired (its Max-Age equals
 *     the token's lifetime, so an expired access token is simply absent).
 * None of this is the guard: every page, action and route handler checks the session itself.
 * Only GET/HEAD refresh; a refresh racing a sign-out POST could revive cookies.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const security = requestSecurity();
  request.headers.set('content-security-policy', security.policy);
  const answer = await answerFor(request);
  applyRequestSecurity(answer.headers, security);
  return answer;
}

async function answerFor(request: NextRequest): Promise<NextResponse> {
  const path = rawPath(request);
  if (!isDecodable(path)) return refusal(400);
  if (request.method === 'POST' && !ROUTE_HANDLERS.test(path)) {
    const refused = await screenPagePost(request);
    if (refused) return refusal(refused);
  }
  if ((request.method === 'GET' || request.method === 'HEAD') && !ROUTE_HANDLERS.test(path)) return refreshIfDue(request);
  return forward(request, []);
}

/** Route handlers answer their own methods, bodies and cross-site checks, as JSON. */
const ROUTE_HANDLERS = /^\/(api\/|refresh$|sign-out$|sign-in\/(send|ended)$|verify\/confirm$|dbsc\/)/;
// Pages anyone may open signed out: a dead refresh cookie must not send them to /sign-in. The
// alert email's "Not you?" page works without signing in, whatever this browser holds (L11).
const PUBLIC_PATHS = new Set(['/sign-in', '/verify', '/dev/mailbox', '/sign-out/failed', '/not-you']);

/** The path as the client sent it, still percent-encoded. */
function rawPath(request: NextRequest): string {
  return new URL(request.url).pathname;
}

/** Next.js decodes dynamic segments with decodeURIComponent and answers a failure with a 500. */
function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const REFUSALS: Record<400 | PagePostRefusal, string> = {
  400: 'This request is not valid.',
  403: 'This request did not come from Signet.',
  413: 'The request body is too large.',
};

function refusal(status: 400 | PagePostRefusal): NextResponse {
  return new NextResponse(REFUSALS[status], {
    status,
    headers: { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

async function refreshIfDue(request: NextRequest): Promise<NextResponse> {
  // Any access cookie, even two of them (which the page's check treats as signed out), means no refresh.
  const refreshToken = refreshCookie(request.headers.get('cookie'));
  if (!refreshToken || request.cookies.has(cookieNames(usesSecureCookies()).access)) return forward(request, []);

  const outcome = await refreshSession(refreshToken);
  if (outcome.kind === 'unavailable') {
    // Fail closed without signing anyone out: no cookie changes, and the client may retry.
    return new NextResponse('Signet is briefly unavailable. Please try again in a few seconds.', {
      status: 503,
      headers: { 'Retry-After': '5', 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (outcome.kind === 'refreshed' || PUBLIC_PATHS.has(request.nextUrl.pathname)) return forward(request, outcome.cookies);
  const signIn = new URL('/sign-in', request.url);
  signIn.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const redirect = NextResponse.redirect(signIn, 303);
  for (const cookie of outcome.cookies) redirect.cookies.set(cookie);
  redirect.headers.set('Cache-Control', 'no-store');
  return redirect;
}

/**
 * Continues to the page with its CSP request header and `cookies` applied twice: on the response,
 * for the browser, and on the forwarded request's Cookie header, so this very render already sees
 * the new tokens.
 */
function forward(request: NextRequest, cookies: CookieToSet[]): NextResponse {
  for (const cookie of cookies) {
    if (cookie.maxAge === 0) request.cookies.delete(cookie.name);
    else request.cookies.set(cookie.name, cookie.value);
  }
  const response = NextResponse.next({ request: { headers: request.headers } });
  for (const cookie of cookies) response.cookies.set(cookie);
  if (cookies.length > 0) response.headers.set('Cache-Control', 'private, no-store');
  return response;
}

export const config = {
  // Everything but the build's static files: each page needs its nonce, each answer its headers.
  matcher: [{ source: '/((?!_next/static/|_next/image/|favicon.ico).*)' }],
};
