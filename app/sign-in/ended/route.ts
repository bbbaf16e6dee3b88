import type { NextResponse } from 'next/server';
import { signedOutCookies } from '@/lib/web/notice';
import { safeNextPath, withQuery } from '@/lib/web/request';
import { seeOther, storeUnavailable, withCookies } from '@/lib/web/respond';
import { currentSession } from '@/lib/web/session';

/**
 * GET /sign-in/ended: where a page sends a browser whose session was ended elsewhere (a render
 * cannot set cookies). The check runs again here; only a session it finds ended is signed out,
 * with the notice that tells the sign-in page why. Anything else just moves on, so the address
 * itself can sign nobody out.
 */
export async function GET(request: Request): Promise<NextResponse> {
  const next = safeNextPath(new URL(request.url).searchParams.get('next'));
  const result = await currentSession();
  if (result.status === 'unavailable') return storeUnavailable();
  if (result.status === 'valid') return seeOther(next);
  const signIn = seeOther(withQuery('/sign-in', { next }));
  return result.status === 'ended' ? withCookies(signIn, signedOutCookies(result.notice)) : signIn;
}
